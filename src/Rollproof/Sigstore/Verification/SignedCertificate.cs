using System.Formats.Asn1;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// The parts of a DER certificate its issuer signed: the TBSCertificate's bytes, the algorithm, the signature. A
/// certificate whose TBS names another algorithm than its outer field (RFC 5280 §4.1.1.2 requires them equal), or
/// one this verifier does not accept, has no parts to verify.
/// </summary>
internal readonly record struct SignedCertificate(ReadOnlyMemory<byte> Tbs, CertificateSignatureAlgorithm Algorithm, byte[] Signature)
{
    private static readonly Asn1Tag Version = new(TagClass.ContextSpecific, 0, isConstructed: true);

    public static SignedCertificate? Parse(ReadOnlyMemory<byte> der)
    {
        try
        {
            var reader = new AsnReader(der, AsnEncodingRules.DER);
            var certificate = reader.ReadSequence();
            var tbs = certificate.ReadEncodedValue();
            var outerAlgorithm = certificate.ReadEncodedValue();
            var signature = certificate.ReadBitString(out var unusedBits);
            if (reader.HasData || certificate.HasData || unusedBits != 0)
                return null;
            var fields = new AsnReader(tbs, AsnEncodingRules.DER).ReadSequence();
            if (fields.PeekTag().HasSameClassAndValue(Version))
                fields.ReadEncodedValue();
            fields.ReadEncodedValue(); // serialNumber
            var innerAlgorithm = fields.ReadEncodedValue();
            if (!innerAlgorithm.Span.SequenceEqual(outerAlgorithm.Span))
                return null;
            return CertificateSignatureAlgorithm.Parse(outerAlgorithm) is { } algorithm ? new(tbs, algorithm, signature) : null;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }
}
