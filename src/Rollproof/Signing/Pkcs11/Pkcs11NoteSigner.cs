namespace Rollproof.Signing.Pkcs11;

/// <summary>
/// Signs notes (checkpoints, signed entry timestamps) with a key in a PKCS#11 token: an Ed25519 key gives note
/// signatures of type 0x01, the C2SP default every note verifier accepts; an ECDSA P-256 key gives type 0x02.
/// </summary>
public sealed class Pkcs11NoteSigner : INoteSigner
{
    private readonly Pkcs11PrivateKey _key;
    private readonly NoteSignatureType _type;
    private readonly byte[] _material;

    public Pkcs11NoteSigner(string name, Pkcs11PrivateKey key)
    {
        if (!NoteKeyId.IsValidName(name))
            throw new ArgumentException($"key name '{name}' must be non-empty and contain no spaces or '+'", nameof(name));
        Name = name;
        _key = key;
        var spki = key.PublicKey.SubjectPublicKeyInfo;
        if (key.PublicKey.Algorithm == KeyAlgorithm.Ed25519)
        {
            (_type, _material) = (NoteSignatureType.Ed25519, spki[^OpenSslEd25519.PublicKeySize..]);
            KeyId = NoteKeyId.Compute(name, _type, _material);
        }
        else
        {
            (_type, _material) = (NoteSignatureType.Ecdsa, spki);
            KeyId = NoteKeyId.ComputeEcdsa(spki);
        }
    }

    public string Name { get; }

    public uint KeyId { get; }

    public string VerifierKey => NoteKeys.FormatVerifierKey(Name, KeyId, _type, _material);

    // Ed25519 note signatures are RFC 8032 over the text, ECDSA ones DER over its SHA-256: what the token key returns.
    public byte[] Sign(ReadOnlySpan<byte> noteText) => _key.Sign(noteText);
}
