using System.Security.Cryptography;

namespace Rollproof.Signing;

/// <summary>
/// ECDSA note signatures (type 0x02, as transparency-dev/witness and Rekor use): ASN.1 DER over the hash of the text,
/// SHA-256 unless the key's owner names another (a Sigstore trusted root's <c>hashAlgorithm</c>).
/// </summary>
public sealed class EcdsaNoteVerifier : INoteVerifier
{
    private readonly ECDsa _key;
    private readonly HashAlgorithmName _hash;

    private EcdsaNoteVerifier(string name, ECDsa key, byte[] spki, HashAlgorithmName hash)
    {
        Name = name;
        PublicKey = spki;
        _key = key;
        _hash = hash;
        KeyId = NoteKeyId.ComputeEcdsa(spki);
    }

    public string Name { get; }

    public byte[] PublicKey { get; }

    public uint KeyId { get; }

    public NoteSignatureType Type => NoteSignatureType.Ecdsa;

    /// <summary>Imports a DER SubjectPublicKeyInfo; null when it is not an ECDSA key on P-256, P-384 or P-521.</summary>
    public static EcdsaNoteVerifier? FromSubjectPublicKeyInfo(string name, byte[] spki) => FromSubjectPublicKeyInfo(name, spki, HashAlgorithmName.SHA256);

    /// <inheritdoc cref="FromSubjectPublicKeyInfo(string, byte[])"/>
    public static EcdsaNoteVerifier? FromSubjectPublicKeyInfo(string name, byte[] spki, HashAlgorithmName hash)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length || !EcdsaCurves.IsAllowed(key))
            {
                key.Dispose();
                return null;
            }
        }
        catch (CryptographicException)
        {
            key.Dispose();
            return null;
        }
        return new EcdsaNoteVerifier(name, key, spki, hash);
    }

    public bool Verify(ReadOnlySpan<byte> noteText, ReadOnlySpan<byte> signature) =>
        _key.VerifyData(noteText, signature, _hash, DSASignatureFormat.Rfc3279DerSequence);
}

/// <summary>Signs note text with an ECDSA key (randomised signatures, DER encoded).</summary>
public sealed class EcdsaNoteSigner : INoteSigner
{
    private readonly ECDsa _key;
    private readonly byte[] _spki;

    public EcdsaNoteSigner(string name, ECDsa key)
    {
        if (!EcdsaCurves.IsAllowed(key))
            throw new CryptographicException("ECDSA note keys must be on NIST P-256, P-384 or P-521");
        Name = name;
        _key = key;
        _spki = key.ExportSubjectPublicKeyInfo();
        KeyId = NoteKeyId.ComputeEcdsa(_spki);
    }

    public string Name { get; }

    public uint KeyId { get; }

    public string VerifierKey => NoteKeys.FormatVerifierKey(Name, KeyId, NoteSignatureType.Ecdsa, _spki);

    public byte[] Sign(ReadOnlySpan<byte> noteText) =>
        _key.SignData(noteText, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
}

internal static class EcdsaCurves
{
    public static bool IsAllowed(ECDsa key)
    {
        var oid = key.ExportParameters(false).Curve.Oid.Value;
        return oid is "1.2.840.10045.3.1.7" or "1.3.132.0.34" or "1.3.132.0.35";
    }
}
