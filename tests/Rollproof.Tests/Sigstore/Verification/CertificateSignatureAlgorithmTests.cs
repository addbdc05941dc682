using System.Formats.Asn1;
using System.Security.Cryptography;
using Rollproof.Sigstore.Verification;

namespace Rollproof.Tests.Sigstore.Verification;

/// <summary>Which AlgorithmIdentifiers a certificate signature may name: exactly the encodings RFC 4055, 5758 and 8410 give.</summary>
public class CertificateSignatureAlgorithmTests
{
    private const string Sha256 = "2.16.840.1.101.3.4.2.1", Sha384 = "2.16.840.1.101.3.4.2.2", Sha1 = "1.3.14.3.2.26";

    [Theory]
    [InlineData("1.2.840.10045.4.3.2", false, "Ecdsa SHA256")]
    [InlineData("1.2.840.10045.4.3.4", false, "Ecdsa SHA512")]
    [InlineData("1.2.840.113549.1.1.12", true, "RsaPkcs1 SHA384")]
    [InlineData("1.2.840.113549.1.1.12", false, "RsaPkcs1 SHA384")]
    [InlineData("1.3.101.112", false, "Ed25519 ")]
    [InlineData("1.2.840.10045.4.3.2", true, null)] // ECDSA with NULL parameters
    [InlineData("1.3.101.112", true, null)]
    [InlineData("1.2.840.10045.4.1", false, null)] // ecdsa-with-SHA1
    [InlineData("1.2.840.113549.1.1.5", true, null)] // sha1WithRSAEncryption
    [InlineData("1.2.840.113549.1.1.4", true, null)] // md5WithRSAEncryption
    public void Only_the_listed_algorithms_with_their_exact_parameters_parse(string oid, bool nullParameters, string? expected)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (nullParameters)
                writer.WriteNull();
        }

        var parsed = CertificateSignatureAlgorithm.Parse(writer.Encode());

        Assert.Equal(expected, parsed is { } a ? $"{a.Kind} {a.Hash.Name}" : null);
    }

    [Theory]
    [InlineData(Sha256, Sha256, 32, false, true)]
    [InlineData(Sha384, Sha384, 48, false, true)]
    [InlineData(Sha256, Sha256, 32, true, false)] // the default trailer spelled out, which DER forbids
    [InlineData(Sha256, Sha256, 20, false, false)] // a salt shorter than the hash
    [InlineData(Sha256, Sha384, 32, false, false)] // MGF1 with another hash
    [InlineData(Sha1, Sha1, 20, false, false)]
    public void PSS_parses_with_one_SHA2_hash_throughout_and_a_salt_of_its_length(string hash, string mgfHash, int salt, bool trailer, bool parses)
    {
        var parsed = CertificateSignatureAlgorithm.Parse(Pss(hash, mgfHash, salt, trailer));

        Assert.Equal(parsed is not null, parses);
        if (parses)
            Assert.Equal(new CertificateSignatureAlgorithm(CertificateSignatureKind.RsaPss, hash == Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384), parsed);
    }

    [Fact]
    public void PSS_with_its_SHA1_defaults_left_out_does_not_parse()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier("1.2.840.113549.1.1.10");
            using (writer.PushSequence())
            {
            }
        }

        Assert.Null(CertificateSignatureAlgorithm.Parse(writer.Encode()));
    }

    private static byte[] Pss(string hash, string mgfHash, int salt, bool trailer)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier("1.2.840.113549.1.1.10");
            using (writer.PushSequence())
            {
                using (writer.PushSequence(Field(0)))
                    Identifier(writer, hash);
                using (writer.PushSequence(Field(1)))
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier("1.2.840.113549.1.1.8");
                    Identifier(writer, mgfHash);
                }
                using (writer.PushSequence(Field(2)))
                    writer.WriteInteger(salt);
                if (trailer)
                {
                    using (writer.PushSequence(Field(3)))
                        writer.WriteInteger(1);
                }
            }
        }
        return writer.Encode();
    }

    private static Asn1Tag Field(int number) => new(TagClass.ContextSpecific, number, isConstructed: true);

    private static void Identifier(AsnWriter writer, string oid)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            writer.WriteNull();
        }
    }
}
