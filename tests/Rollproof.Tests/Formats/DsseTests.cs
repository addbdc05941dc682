using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Signing;
using Rollproof.Testing;

namespace Rollproof.Tests.Formats;

public class DsseTests
{
    [Fact]
    public void The_pre_authentication_encoding_matches_the_vector()
    {
        var vector = Vector();
        var pae = DsseEnvelope.Pae("http://example.com/HelloWorld", "hello world"u8);
        Assert.Equal(vector.GetProperty("pae").GetString(), Encoding.UTF8.GetString(pae));
    }

    [Fact]
    public void The_vector_envelope_signature_verifies_with_its_p256_key()
    {
        var vector = Vector();
        var envelope = DsseEnvelope.Parse(Encoding.UTF8.GetBytes(vector.GetProperty("envelope").GetRawText())).Value;
        var key = vector.GetProperty("publicKey");
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Coordinate(key.GetProperty("x").GetString()!), Y = Coordinate(key.GetProperty("y").GetString()!) },
        });
        // The vector's signature is IEEE P1363 (r||s); our keys sign DER, so check the vector with its own format.
        var pae = DsseEnvelope.Pae(envelope.PayloadType, envelope.Payload);
        Assert.True(ecdsa.VerifyData(pae, envelope.Signatures[0].Sig, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.Equal("hello world"u8.ToArray(), envelope.Payload);
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.Ed25519)]
    public void Envelopes_round_trip_and_verify_only_with_the_signing_key_and_untouched_bytes(KeyAlgorithm algorithm)
    {
        using var key = PrivateKey.Generate(algorithm);
        using var other = PrivateKey.Generate(algorithm);
        var envelope = DsseEnvelope.Sign("application/vnd.in-toto+json", "{\"a\":1}"u8.ToArray(), key);

        var parsed = DsseEnvelope.Parse(envelope.ToJson()).Value;

        Assert.Equal([key.KeyId], parsed.Verify([key.PublicKey]).Value);
        Assert.Equal(ErrorCodes.EnvelopeSignatureInvalid, parsed.Verify([other.PublicKey]).Problem?.Code);
        Assert.False((parsed with { Payload = "{\"a\":2}"u8.ToArray() }).Verify([key.PublicKey]).IsOk);
        Assert.False((parsed with { PayloadType = "application/json" }).Verify([key.PublicKey]).IsOk);
    }

    [Fact]
    public void Url_safe_unpadded_base64_is_accepted_as_the_protocol_requires()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var envelope = DsseEnvelope.Sign("t", Enumerable.Range(0, 64).Select(i => (byte)(i * 7)).ToArray(), key);
        var json = $$"""{"payload":"{{UrlSafe(envelope.Payload)}}","payloadType":"t","signatures":[{"sig":"{{UrlSafe(envelope.Signatures[0].Sig)}}"}]}""";
        Assert.True(DsseEnvelope.Parse(Encoding.UTF8.GetBytes(json)).Value.Verify([key.PublicKey]).IsOk);
    }

    [Fact]
    public void An_envelope_with_a_member_given_twice_is_refused()
    {
        var json = """{"payload":"aGk=","payload":"aGo=","payloadType":"t","signatures":[{"sig":"AA=="}]}""";
        Assert.Equal(ErrorCodes.EnvelopeMalformed, DsseEnvelope.Parse(Encoding.UTF8.GetBytes(json)).Problem?.Code);
    }

    private static string UrlSafe(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public void A_misleading_key_id_hint_does_not_matter()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var envelope = DsseEnvelope.Sign("t", "x"u8.ToArray(), key);
        var relabelled = envelope with { Signatures = [envelope.Signatures[0] with { KeyId = "someone-else" }] };
        Assert.True(relabelled.Verify([key.PublicKey]).IsOk);
    }

    [Theory]
    [InlineData("[]", "JSON object")]
    [InlineData("{\"payload\":\"aGk=\",\"signatures\":[{\"sig\":\"AA==\"}]}", "'payloadType'")]
    [InlineData("{\"payloadType\":\"t\",\"payload\":\"%%\",\"signatures\":[{\"sig\":\"AA==\"}]}", "'payload'")]
    [InlineData("{\"payloadType\":\"t\",\"payload\":\"aGk=\",\"signatures\":[]}", "'signatures'")]
    [InlineData("{\"payloadType\":\"t\",\"payload\":\"aGk=\",\"signatures\":[{\"keyid\":\"k\"}]}", "signatures[0].sig")]
    [InlineData("{", "not valid JSON")]
    public void Malformed_envelopes_say_which_field(string json, string detail)
    {
        var result = DsseEnvelope.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal(ErrorCodes.EnvelopeMalformed, result.Problem?.Code);
        Assert.Contains(detail, result.Problem!.Message, StringComparison.Ordinal);
    }

    private static byte[] Coordinate(string decimalValue)
    {
        var bytes = BigInteger.Parse(decimalValue, CultureInfo.InvariantCulture).ToByteArray(isUnsigned: true, isBigEndian: true);
        return [.. new byte[32 - bytes.Length], .. bytes];
    }

    private static JsonElement Vector() =>
        JsonDocument.Parse(File.ReadAllBytes(SharedFiles.Vector("dsse", "vectors.json"))).RootElement;
}
