using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Rollproof.Sigstore.Verification;

namespace Rollproof.Tests.Sigstore.Verification;

/// <summary>
/// A Fulcio of our own for attack tests: a certificate authority and a CT log whose keys we hold, named by a crafted
/// trusted root, issuing leaf certificates with whatever extensions a test needs, each with an SCT embedded over its
/// precertificate (RFC 6962 §3.2) so that it passes every check but the one the test is about.
/// </summary>
public sealed class TestFulcio : IDisposable
{
    public const string Identity = "https://github.com/org/app/.github/workflows/release.yml@refs/heads/main";
    public const string OidcIssuer = "https://token.actions.githubusercontent.com";
    public const string CodeSigning = "1.3.6.1.5.5.7.3.3";

    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _ctKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;

    public TestFulcio()
    {
        var request = new CertificateRequest("CN=test fulcio", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        _ca = request.CreateSelfSigned(SignedAt.AddYears(-1), SignedAt.AddYears(1));
        var ctSpki = _ctKey.ExportSubjectPublicKeyInfo();
        Root = new TrustedRootMaterial(
            [],
            [new TransparencyLogInstance("https://ct.test", "SHA2_256", ctSpki, "PKIX_ECDSA_P256_SHA_256", new ValidityPeriod(SignedAt.AddYears(-1), null), SHA256.HashData(ctSpki), null)],
            [new CertificateAuthority("https://fulcio.test", [_ca], new ValidityPeriod(SignedAt.AddYears(-1), null))],
            []);
    }

    public static DateTimeOffset SignedAt { get; } = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The crafted trusted root: this Fulcio's CA and CT log, nothing else.</summary>
    public TrustedRootMaterial Root { get; }

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
        _ctKey.Dispose();
    }

    /// <summary>A leaf for <see cref="Identity"/> and <see cref="OidcIssuer"/>, valid ten minutes around <see cref="SignedAt"/>, with the extended key usages given (none: no EKU extension).</summary>
    public X509Certificate2 Issue(params string[] extendedKeyUsages)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(Identity));
        request.CertificateExtensions.Add(san.Build(true));
        var issuer = new AsnWriter(AsnEncodingRules.DER);
        issuer.WriteCharacterString(UniversalTagNumber.UTF8String, OidcIssuer);
        request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.57264.1.8", issuer.Encode(), false));
        if (extendedKeyUsages.Length > 0)
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. extendedKeyUsages.Select(o => new Oid(o))], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        var (from, to) = (SignedAt.AddMinutes(-5), SignedAt.AddMinutes(5));
        using var precertificate = request.Create(_ca, from, to, serial);
        request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.11129.2.4.2", SctList(precertificate), false));
        return request.Create(_ca, from, to, serial);
    }

    // One SCT v1 over the precertificate's TBS (the leaf's without this extension), as a SignedCertificateTimestampList in an OCTET STRING.
    private byte[] SctList(X509Certificate2 precertificate)
    {
        var tbs = new AsnReader(precertificate.RawData, AsnEncodingRules.DER).ReadSequence().ReadEncodedValue().ToArray();
        var timestamp = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(timestamp, (ulong)SignedAt.ToUnixTimeMilliseconds());
        byte[] length24 = [(byte)(tbs.Length >> 16), (byte)(tbs.Length >> 8), (byte)tbs.Length];
        byte[] signed = [0, 0, .. timestamp, 0, 1, .. SHA256.HashData(_ca.PublicKey.ExportSubjectPublicKeyInfo()), .. length24, .. tbs, 0, 0];
        var signature = _ctKey.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        byte[] sct = [0, .. SHA256.HashData(_ctKey.ExportSubjectPublicKeyInfo()), .. timestamp, 0, 0, 4, 3, .. U16(signature.Length), .. signature];
        var list = new AsnWriter(AsnEncodingRules.DER);
        list.WriteOctetString([.. U16(sct.Length + 2), .. U16(sct.Length), .. sct]);
        return list.Encode();
    }

    private static byte[] U16(int value) => [(byte)(value >> 8), (byte)value];
}
