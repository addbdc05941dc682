using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rollproof.Tests.Sigstore.Verification;

/// <summary>
/// Certificates for path tests, each valid a year either side of <see cref="At"/> unless told otherwise: roots,
/// intermediates and leaves with the extensions a test needs, signed by whichever key the test holds.
/// </summary>
internal static class TestCertificates
{
    public static DateTimeOffset At { get; } = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A certificate and the key it certifies, to issue others with.</summary>
    public sealed record Issued(X509Certificate2 Certificate, AsymmetricAlgorithm Key);

    public static ECDsa P256() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static ECDsa P384() => ECDsa.Create(ECCurve.NamedCurves.nistP384);

    /// <summary>A self-signed CA.</summary>
    public static Issued Root(string name = "CN=test root", AsymmetricAlgorithm? key = null, int? pathLength = null, HashAlgorithmName? hash = null, RSASignaturePadding? padding = null)
    {
        key ??= P384();
        var request = Request(name, key, hash ?? HashAlgorithmName.SHA384, padding);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, pathLength is not null, pathLength ?? 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return new(request.CreateSelfSigned(At.AddYears(-1), At.AddYears(1)), key);
    }

    /// <summary>A CA certificate issued by <paramref name="issuer"/>.</summary>
    public static Issued Intermediate(Issued issuer, string name = "CN=test intermediate", AsymmetricAlgorithm? key = null, bool ca = true,
        X509KeyUsageFlags usage = X509KeyUsageFlags.KeyCertSign, DateTimeOffset? notAfter = null, HashAlgorithmName? hash = null, RSASignaturePadding? padding = null,
        params X509Extension[] extra)
    {
        key ??= P384();
        var request = Request(name, key, hash ?? HashAlgorithmName.SHA384, padding);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        foreach (var extension in extra)
            request.CertificateExtensions.Add(extension);
        return new(Sign(request, issuer, At.AddYears(-1), notAfter ?? At.AddYears(1), padding), key);
    }

    /// <summary>A code-signing leaf issued by <paramref name="issuer"/>, valid ten minutes around <see cref="At"/>.</summary>
    public static X509Certificate2 Leaf(Issued issuer, HashAlgorithmName? hash = null, RSASignaturePadding? padding = null, string? issuerName = null, params X509Extension[] extra)
    {
        using var key = P256();
        var request = new CertificateRequest("CN=leaf", key, hash ?? HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.3")], false));
        foreach (var extension in extra)
            request.CertificateExtensions.Add(extension);
        return Sign(request, issuer, At.AddMinutes(-5), At.AddMinutes(5), padding, issuerName);
    }

    /// <summary>
    /// <paramref name="certificate"/> signed again by <paramref name="issuer"/> with <paramref name="hash"/>, its TBS
    /// naming <paramref name="innerAlgorithm"/> and its outer field <paramref name="outerAlgorithm"/>: what
    /// <see cref="CertificateRequest"/> refuses to make (SHA-1, or two algorithms that disagree).
    /// </summary>
    public static X509Certificate2 Resigned(X509Certificate2 certificate, AsymmetricAlgorithm issuer, HashAlgorithmName hash, string innerAlgorithm, string outerAlgorithm)
    {
        var tbs = new AsnReader(certificate.RawData, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(tbs.ReadEncodedValue().Span); // version
            writer.WriteEncodedValue(tbs.ReadEncodedValue().Span); // serial
            tbs.ReadEncodedValue();
            WriteAlgorithm(writer, innerAlgorithm);
            while (tbs.HasData)
                writer.WriteEncodedValue(tbs.ReadEncodedValue().Span);
        }
        var newTbs = writer.Encode();
        var signature = issuer switch
        {
            ECDsa ecdsa => ecdsa.SignData(newTbs, hash, DSASignatureFormat.Rfc3279DerSequence),
            RSA rsa => rsa.SignData(newTbs, hash, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("ECDSA or RSA keys only", nameof(issuer)),
        };
        var whole = new AsnWriter(AsnEncodingRules.DER);
        using (whole.PushSequence())
        {
            whole.WriteEncodedValue(newTbs);
            WriteAlgorithm(whole, outerAlgorithm);
            whole.WriteBitString(signature);
        }
        return X509CertificateLoader.LoadCertificate(whole.Encode());
    }

    // RSA's algorithm identifiers carry NULL parameters; ECDSA's carry none.
    private static void WriteAlgorithm(AsnWriter writer, string oid)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (oid.StartsWith("1.2.840.113549.1.1.", StringComparison.Ordinal))
                writer.WriteNull();
        }
    }

    private static CertificateRequest Request(string name, AsymmetricAlgorithm key, HashAlgorithmName hash, RSASignaturePadding? padding) => key switch
    {
        ECDsa ecdsa => new CertificateRequest(name, ecdsa, hash),
        RSA rsa => new CertificateRequest(name, rsa, hash, padding ?? RSASignaturePadding.Pkcs1),
        _ => throw new ArgumentException("ECDSA or RSA keys only", nameof(key)),
    };

    // Signed by the issuer's key with the request's hash, naming the issuer's subject unless another name is given.
    private static X509Certificate2 Sign(CertificateRequest request, Issued issuer, DateTimeOffset from, DateTimeOffset to, RSASignaturePadding? padding, string? issuerName = null)
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        var generator = issuer.Key switch
        {
            ECDsa ecdsa => X509SignatureGenerator.CreateForECDsa(ecdsa),
            RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, padding ?? RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("ECDSA or RSA keys only"),
        };
        return request.Create(issuerName is null ? issuer.Certificate.SubjectName : new X500DistinguishedName(issuerName), generator, from, to, serial);
    }
}
