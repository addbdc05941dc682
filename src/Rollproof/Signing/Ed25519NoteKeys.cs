namespace Rollproof.Signing;

/// <summary>Ed25519 note signatures (type 0x01): RFC 8032 over the note text.</summary>
public sealed class Ed25519NoteVerifier(string name, byte[] publicKey) : INoteVerifier
{
    public string Name { get; } = name;

    public byte[] PublicKey { get; } = publicKey;

    public uint KeyId { get; } = NoteKeyId.Compute(name, NoteSignatureType.Ed25519, publicKey);

    public NoteSignatureType Type => NoteSignatureType.Ed25519;

    private readonly VerifiedSignatures _verified = new();

    public bool Verify(ReadOnlySpan<byte> noteText, ReadOnlySpan<byte> signature) =>
        _verified.Verify(noteText, signature, (text, sig) => OpenSslEd25519.Verify(PublicKey, text, sig));
}

/// <summary>Signs note text with an Ed25519 seed; deterministic, so the same text always gives the same signature.</summary>
public sealed class Ed25519NoteSigner : INoteSigner
{
    private readonly byte[] _seed;

    public Ed25519NoteSigner(string name, ReadOnlySpan<byte> seed)
    {
        Name = name;
        _seed = seed.ToArray();
        PublicKey = OpenSslEd25519.PublicKeyFromSeed(_seed);
        KeyId = NoteKeyId.Compute(name, NoteSignatureType.Ed25519, PublicKey);
    }

    public string Name { get; }

    public uint KeyId { get; }

    public byte[] PublicKey { get; }

    public string VerifierKey => NoteKeys.FormatVerifierKey(Name, KeyId, NoteSignatureType.Ed25519, PublicKey);

    /// <summary>The signer-key string <c>PRIVATE+KEY+name+hex(id)+base64(0x01||seed)</c>: a secret, never log it.</summary>
    public string SignerKey => "PRIVATE+KEY+" + NoteKeys.FormatVerifierKey(Name, KeyId, NoteSignatureType.Ed25519, _seed);

    public byte[] Sign(ReadOnlySpan<byte> noteText) => OpenSslEd25519.Sign(_seed, noteText);
}
