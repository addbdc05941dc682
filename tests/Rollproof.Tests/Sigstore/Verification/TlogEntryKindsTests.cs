using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Rollproof.Common;
using Rollproof.Sigstore;
using Rollproof.Sigstore.Verification;

namespace Rollproof.Tests.Sigstore.Verification;

/// <summary>
/// The kinds no public vector carries (Rekor v1 <c>dsse</c> 0.0.1 and <c>intoto</c> 0.0.1, Rekor v2 <c>dsse</c> 0.0.2,
/// a Rekor v2 <c>hashedrekord</c> of a public key): the content of a vector logged as each, in a log of ours,
/// verifies; the same body over another payload or key does not.
/// </summary>
public class TlogEntryKindsTests
{
    private const string Vector = "rekor2-dsse-happy-path";

    [Fact]
    public void A_rekor_v1_dsse_body_as_our_rekor_api_logs_it_matches_the_envelope()
    {
        var vector = Logged(content => DsseV001Body(content), "dsse", "0.0.1");
        Assert.True(vector.Verify().IsOk, vector.Verify().Problem?.ToString());
    }

    [Fact]
    public void A_rekor_v2_dsse_body_matches_the_envelope()
    {
        var vector = Logged(content => DsseV002Body(content), "dsse", "0.0.2");
        Assert.True(vector.Verify().IsOk, vector.Verify().Problem?.ToString());
    }

    [Fact]
    public void A_rekor_v1_intoto_0_0_1_body_matches_the_envelope_by_payload_hash_and_key()
    {
        var vector = Logged(content => IntotoV001Body(content), "intoto", "0.0.1");
        Assert.True(vector.Verify().IsOk, vector.Verify().Problem?.ToString());
    }

    [Fact]
    public void A_rekor_v2_hashedrekord_of_a_public_key_matches_that_key_only()
    {
        var vector = TlogVectorCase.Load("managed-key-and-trusted-root");
        var content = (MessageSignatureContent)vector.Content();
        vector.Entry["canonicalizedBody"] = Convert.ToBase64String(HashedRekordV002Body(content, content.Signer.PublicKeySpki!));
        vector.Entry["kindVersion"] = new JsonObject { ["kind"] = "hashedrekord", ["version"] = "0.0.2" };
        var times = new[] { DateTimeOffset.UtcNow.AddDays(-1) };
        Assert.True(new TlogEntryTamperingTests.OwnLog("log.test").Relog(vector, index: 0, proofSize: 1, checkpointSize: 1).Verify(timestampTimes: times).IsOk);

        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        vector.Entry["canonicalizedBody"] = Convert.ToBase64String(HashedRekordV002Body(content, otherKey.ExportSubjectPublicKeyInfo()));
        var relogged = new TlogEntryTamperingTests.OwnLog("log.test").Relog(vector, index: 0, proofSize: 1, checkpointSize: 1);
        TlogEntryTamperingTests.AssertFails(relogged.Verify(timestampTimes: times), ErrorCodes.TlogBodyMismatch, "public key");
    }

    [Theory]
    [InlineData("0.0.1")]
    [InlineData("0.0.2")]
    public void A_dsse_body_over_another_payload_does_not_match(string version)
    {
        var vector = Logged(content => version == "0.0.1" ? DsseV001Body(content with { Payload = [.. content.Payload, 0x20] }) : DsseV002Body(content with { Payload = [.. content.Payload, 0x20] }), "dsse", version);
        TlogEntryTamperingTests.AssertFails(vector.Verify(), ErrorCodes.TlogBodyMismatch, "payloadHash");
    }

    private static TlogVectorCase Logged(Func<DsseContent, byte[]> body, string kind, string version)
    {
        var vector = TlogVectorCase.Load(Vector);
        vector.Entry["canonicalizedBody"] = Convert.ToBase64String(body((DsseContent)vector.Content()));
        vector.Entry["kindVersion"] = new JsonObject { ["kind"] = kind, ["version"] = version };
        return new TlogEntryTamperingTests.OwnLog("log.test").Relog(vector, index: 2, proofSize: 5, checkpointSize: 5);
    }

    private static byte[] DsseV001Body(DsseContent content)
    {
        var pem = PemEncoding.WriteString("CERTIFICATE", content.Signer.CertificateDer!) + "\n";
        return RekorDsseEntry.CanonicalBody(content.EnvelopeJson, content.Payload, [(content.Signature, Convert.ToBase64String(Encoding.UTF8.GetBytes(pem)))]);
    }

    private static byte[] IntotoV001Body(DsseContent content)
    {
        var pem = PemEncoding.WriteString("CERTIFICATE", content.Signer.CertificateDer!) + "\n";
        return Encoding.UTF8.GetBytes(new JsonObject
        {
            ["apiVersion"] = "0.0.1",
            ["kind"] = "intoto",
            ["spec"] = new JsonObject
            {
                ["content"] = new JsonObject
                {
                    ["hash"] = new JsonObject { ["algorithm"] = "sha256", ["value"] = Convert.ToHexStringLower(SHA256.HashData(content.EnvelopeJson)) },
                    ["payloadHash"] = new JsonObject { ["algorithm"] = "sha256", ["value"] = Convert.ToHexStringLower(SHA256.HashData(content.Payload)) },
                },
                ["publicKey"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(pem)),
            },
        }.ToJsonString());
    }

    private static byte[] HashedRekordV002Body(MessageSignatureContent content, byte[] publicKeySpki) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["apiVersion"] = "0.0.2",
        ["kind"] = "hashedrekord",
        ["spec"] = new JsonObject
        {
            ["hashedRekordV002"] = new JsonObject
            {
                ["data"] = new JsonObject { ["algorithm"] = "SHA2_256", ["digest"] = Convert.ToBase64String(content.ArtifactSha256) },
                ["signature"] = new JsonObject
                {
                    ["content"] = Convert.ToBase64String(content.Signature),
                    ["verifier"] = new JsonObject { ["keyDetails"] = "PKIX_ECDSA_P256_SHA_256", ["publicKey"] = new JsonObject { ["rawBytes"] = Convert.ToBase64String(publicKeySpki) } },
                },
            },
        },
    }.ToJsonString());

    private static byte[] DsseV002Body(DsseContent content) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["apiVersion"] = "0.0.2",
        ["kind"] = "dsse",
        ["spec"] = new JsonObject
        {
            ["dsseV002"] = new JsonObject
            {
                ["payloadHash"] = new JsonObject { ["algorithm"] = "SHA2_256", ["digest"] = Convert.ToBase64String(SHA256.HashData(content.Payload)) },
                ["signatures"] = new JsonArray(new JsonObject
                {
                    ["content"] = Convert.ToBase64String(content.Signature),
                    ["verifier"] = new JsonObject
                    {
                        ["keyDetails"] = "PKIX_ECDSA_P256_SHA_256",
                        ["x509Certificate"] = new JsonObject { ["rawBytes"] = Convert.ToBase64String(content.Signer.CertificateDer!) },
                    },
                }),
            },
        },
    }.ToJsonString());
}
