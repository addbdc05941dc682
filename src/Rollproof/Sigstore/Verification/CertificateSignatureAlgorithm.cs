using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Rollproof.Sigstore.Verification;

/// <summary>The kinds of signature a certificate may carry here.</summary>
internal enum CertificateSignatureKind
{
    Ecdsa,
    RsaPkcs1,
    RsaPss,
    Ed25519,
}

/// <summary>
/// A certificate's signature algorithm (an AlgorithmIdentifier, RFC 5280 §4.1.1.2), when it is one this verifier
/// accepts: ECDSA with SHA-256/384/512 (RFC 5758), RSA PKCS#1 v1.5 with the same hashes, RSASSA-PSS with one of them
/// for both the message and MGF1 and a salt of the hash's length (RFC 4055), or Ed25519 (RFC 8410). SHA-1, MD5 and
/// anything else are not parsed, so nothing they sign ever verifies.
/// </summary>
internal readonly record struct CertificateSignatureAlgorithm(CertificateSignatureKind Kind, HashAlgorithmName Hash)
{
    private const string Mgf1 = "1.2.840.113549.1.1.8";
    private const string RsaPss = "1.2.840.113549.1.1.10";
    private static readonly Asn1Tag[] PssFields = [.. Enumerable.Range(0, 3).Select(n => new Asn1Tag(TagClass.ContextSpecific, n, isConstructed: true))];

    public static CertificateSignatureAlgorithm? Parse(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            var reader = new AsnReader(encoded, AsnEncodingRules.DER);
            var identifier = reader.ReadSequence();
            if (reader.HasData)
                return null;
            var oid = identifier.ReadObjectIdentifier();
            CertificateSignatureAlgorithm? algorithm = oid switch
            {
                "1.2.840.10045.4.3.2" => new(CertificateSignatureKind.Ecdsa, HashAlgorithmName.SHA256),
                "1.2.840.10045.4.3.3" => new(CertificateSignatureKind.Ecdsa, HashAlgorithmName.SHA384),
                "1.2.840.10045.4.3.4" => new(CertificateSignatureKind.Ecdsa, HashAlgorithmName.SHA512),
                "1.2.840.113549.1.1.11" => new(CertificateSignatureKind.RsaPkcs1, HashAlgorithmName.SHA256),
                "1.2.840.113549.1.1.12" => new(CertificateSignatureKind.RsaPkcs1, HashAlgorithmName.SHA384),
                "1.2.840.113549.1.1.13" => new(CertificateSignatureKind.RsaPkcs1, HashAlgorithmName.SHA512),
                "1.3.101.112" => new(CertificateSignatureKind.Ed25519, default),
                RsaPss => PssHash(identifier.ReadSequence()) is { } hash ? new(CertificateSignatureKind.RsaPss, hash) : null,
                _ => null,
            };
            // PKCS#1 identifiers carry NULL parameters or, as RFC 4055 §5 lets readers accept, none; the others none at all
            // (RFC 5758 §3.2, RFC 8410 §3).
            if (algorithm?.Kind == CertificateSignatureKind.RsaPkcs1 && identifier.HasData)
                identifier.ReadNull();
            return identifier.HasData ? null : algorithm;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    // RSASSA-PSS-params (RFC 4055 §3.1): hash, MGF and salt spelled out, since each default is SHA-1's.
    private static HashAlgorithmName? PssHash(AsnReader parameters)
    {
        var hash = HashOf(parameters.ReadSequence(PssFields[0]).ReadSequence());
        var mgf = parameters.ReadSequence(PssFields[1]).ReadSequence();
        if (hash is null || mgf.ReadObjectIdentifier() != Mgf1 || HashOf(mgf.ReadSequence()) != hash || mgf.HasData)
            return null;
        if (!parameters.ReadSequence(PssFields[2]).TryReadInt32(out var salt) || salt != SaltLength(hash.Value))
            return null;
        // The trailer field can only be its default (1), which DER leaves out.
        return parameters.HasData ? null : hash;
    }

    private static HashAlgorithmName? HashOf(AsnReader identifier)
    {
        var hash = SigstoreHashAlgorithms.FromOid(identifier.ReadObjectIdentifier());
        if (identifier.HasData)
            identifier.ReadNull();
        return identifier.HasData ? null : hash;
    }

    private static int SaltLength(HashAlgorithmName hash) => hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : 64;
}
