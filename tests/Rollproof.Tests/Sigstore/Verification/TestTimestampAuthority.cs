using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using static Rollproof.Tests.Sigstore.Verification.TestCertificates;

namespace Rollproof.Tests.Sigstore.Verification;

/// <summary>
/// A timestamp authority of our own: a signing certificate with the timestamping EKU (critical, as RFC 3161 requires, unless told otherwise),
/// issued by a test root, answering with a TimeStampResp over whatever signature it is given, with the digest and
/// key the test chooses.
/// </summary>
internal sealed class TestTimestampAuthority
{
    private const string TstInfo = "1.2.840.113549.1.9.16.1.4";
    private const string SigningCertificateV2 = "1.2.840.113549.1.9.16.2.47";

    private readonly Issued _root = Root("CN=test tsa root");

    public TestTimestampAuthority(AsymmetricAlgorithm key, bool criticalUsage = true) =>
        Signer = Intermediate(_root, "CN=test tsa", key: key, ca: false, usage: X509KeyUsageFlags.DigitalSignature,
            extra: new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], criticalUsage));

    public Issued Signer { get; }

    public Rollproof.Sigstore.Verification.CertificateAuthority Authority =>
        new("https://tsa.test", [Signer.Certificate, _root.Certificate], new Rollproof.Sigstore.Verification.ValidityPeriod(At.AddYears(-1), null));

    /// <summary>
    /// A granted TimeStampResp stating <see cref="At"/> for <paramref name="signature"/>, its SignerInfo digested with
    /// <paramref name="digest"/>, embedding the signing certificate or not.
    /// </summary>
    public byte[] Stamp(byte[] signature, Oid digest, bool embedSigner = true)
    {
        var info = new Rfc3161TimestampTokenInfo(new Oid("1.2.3.4"), new Oid("2.16.840.1.101.3.4.2.1"), SHA256.HashData(signature), new byte[] { 1 }, At);
        var cms = new SignedCms(new ContentInfo(new Oid(TstInfo), info.Encode()));
        var signer = new CmsSigner(WithKey(Signer)) { DigestAlgorithm = digest, IncludeOption = embedSigner ? X509IncludeOption.EndCertOnly : X509IncludeOption.None };
        signer.SignedAttributes.Add(new AsnEncodedData(SigningCertificateV2, EssCertIdV2(Signer.Certificate)));
        cms.ComputeSignature(signer);
        var response = new AsnWriter(AsnEncodingRules.DER);
        using (response.PushSequence())
        {
            using (response.PushSequence())
                response.WriteInteger(0);
            response.WriteEncodedValue(cms.Encode());
        }
        return response.Encode();
    }

    private static X509Certificate2 WithKey(Issued issued) => issued.Key switch
    {
        ECDsa ecdsa => issued.Certificate.CopyWithPrivateKey(ecdsa),
        RSA rsa => issued.Certificate.CopyWithPrivateKey(rsa),
        _ => throw new ArgumentException("ECDSA or RSA keys only"),
    };

    // SigningCertificateV2 naming the signer by its SHA-256 (the default algorithm, so left out).
    private static byte[] EssCertIdV2(X509Certificate2 certificate)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence())
            writer.WriteOctetString(SHA256.HashData(certificate.RawData));
        return writer.Encode();
    }
}
