using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// Who a Fulcio certificate was issued to: the URIs and email addresses of its subject alternative name, and the
/// OIDC issuer that vouched for them (extension 1.3.6.1.4.1.57264.1.8, a DER UTF8String, or the legacy .1.1 that
/// holds the bare string).
/// </summary>
internal static class FulcioIdentity
{
    private const string SubjectAltNameOid = "2.5.29.17";
    private const string IssuerV2Oid = "1.3.6.1.4.1.57264.1.8";
    private const string IssuerV1Oid = "1.3.6.1.4.1.57264.1.1";
    private static readonly Asn1Tag Rfc822Name = new(TagClass.ContextSpecific, 1);
    private static readonly Asn1Tag UniformResourceIdentifier = new(TagClass.ContextSpecific, 6);

    /// <summary>The SAN's URIs and email addresses; empty when it has none or cannot be read.</summary>
    public static IReadOnlyList<string> Identities(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions[SubjectAltNameOid];
        if (extension is null)
            return [];
        var names = new List<string>();
        try
        {
            var sequence = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (sequence.HasData)
            {
                var tag = sequence.PeekTag();
                if (tag == Rfc822Name || tag == UniformResourceIdentifier)
                    names.Add(sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                else
                    sequence.ReadEncodedValue();
            }
        }
        catch (AsnContentException)
        {
            return [];
        }
        return names;
    }

    /// <summary>The OIDC issuer Fulcio recorded, or null when the certificate records none.</summary>
    public static string? OidcIssuer(X509Certificate2 certificate)
    {
        if (certificate.Extensions[IssuerV2Oid] is { } v2)
        {
            try
            {
                var reader = new AsnReader(v2.RawData, AsnEncodingRules.DER);
                var issuer = reader.ReadCharacterString(UniversalTagNumber.UTF8String);
                return reader.HasData ? null : issuer;
            }
            catch (AsnContentException)
            {
                return null;
            }
        }
        return certificate.Extensions[IssuerV1Oid] is { } v1 ? Encoding.UTF8.GetString(v1.RawData) : null;
    }
}
