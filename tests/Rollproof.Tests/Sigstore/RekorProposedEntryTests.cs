using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Signing;
using Rollproof.Sigstore;
using Rollproof.Sigstore.Rekor;
using Rollproof.Transparency;
using static Rollproof.Testing.RekorProposals;

namespace Rollproof.Tests.Sigstore;

/// <summary>Proposed Rekor entries: what is logged for a good one, and a problem naming the field for each bad one.</summary>
public sealed class RekorProposedEntryTests : IDisposable
{
    private static readonly byte[] Artifact = Encoding.UTF8.GetBytes("the artifact");
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly PrivateKey _ed25519 = PrivateKey.Generate(KeyAlgorithm.Ed25519);
    private readonly PrivateKey _p256 = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);

    public void Dispose()
    {
        _key.Dispose();
        _ed25519.Dispose();
        _p256.Dispose();
    }

    [Fact]
    public void A_hashedrekord_logs_its_digest_signature_and_canonical_key_and_is_named_by_its_leaf_hash()
    {
        var proposal = HashedRekord(_key, Artifact);

        var entry = RekorProposedEntry.Check(Bytes(proposal)).Value;

        var body = JsonNode.Parse(entry.Body)!;
        Assert.Equal(("hashedrekord", "0.0.1"), (entry.Kind, entry.ApiVersion));
        Assert.Equal(proposal["spec"]!["data"]!.ToJsonString(), body["spec"]!["data"]!.ToJsonString());
        Assert.Equal(proposal["spec"]!["signature"]!["content"]!.GetValue<string>(), body["spec"]!["signature"]!["content"]!.GetValue<string>());
        Assert.Equal(PemOf(_key), Encoding.UTF8.GetString(Convert.FromBase64String(body["spec"]!["signature"]!["publicKey"]!["content"]!.GetValue<string>())));
        Assert.Equal(CanonicalJson.Canonicalize(entry.Body).Value, entry.Body);
        Assert.Equal(Convert.ToHexStringLower(MerkleHasher.LeafHash(entry.Body)), entry.Uuid);
    }

    [Fact]
    public void A_key_sent_with_crlf_and_no_final_newline_is_logged_in_canonical_pem()
    {
        var proposal = HashedRekord(_key, Artifact);
        proposal["spec"]!["signature"]!["publicKey"]!["content"] = Base64Pem(PemOf(_key).TrimEnd().Replace("\n", "\r\n", StringComparison.Ordinal));

        var entry = RekorProposedEntry.Check(Bytes(proposal)).Value;

        Assert.Equal(RekorProposedEntry.Check(Bytes(HashedRekord(_key, Artifact))).Value.Body.Length, entry.Body.Length);
    }

    public static TheoryData<string, string, string, string> BadHashedRekords => new()
    {
        // what, JSON path to change, new value (JSON), expected code and field
        { "another artifact's digest", "spec.data.hash.value", $"\"{Convert.ToHexStringLower(SHA256.HashData("other"u8))}\"", "RP2802 spec.signature.content" },
        { "a digest that is not hex", "spec.data.hash.value", $"\"{new string('z', 64)}\"", "RP2801 spec.data.hash.value" },
        { "a short digest", "spec.data.hash.value", "\"abcd\"", "RP2801 spec.data.hash.value" },
        { "an unknown digest algorithm", "spec.data.hash.algorithm", "\"md5\"", "RP2801 spec.data.hash.algorithm" },
        { "a signature that is not base64", "spec.signature.content", "\"not base64!\"", "RP2801 spec.signature.content" },
        { "an oversized signature", "spec.signature.content", $"\"{Convert.ToBase64String(new byte[4096])}\"", "RP0002 spec.signature.content" },
        { "a key that is not PEM", "spec.signature.publicKey.content", $"\"{Convert.ToBase64String("hello"u8)}\"", "RP2801 spec.signature.publicKey.content" },
        { "an RSA key", "spec.signature.publicKey.content", $"\"{Base64Pem(PemEncoding.WriteString("PUBLIC KEY", RSA.Create(2048).ExportSubjectPublicKeyInfo()))}\"", "RP2801 spec.signature.publicKey.content" },
        { "a private key", "spec.signature.publicKey.content", $"\"{Base64Pem(PemEncoding.WriteString("PRIVATE KEY", ECDsa.Create().ExportPkcs8PrivateKey()))}\"", "RP2801 spec.signature.publicKey.content" },
        { "an unknown member", "spec.signature.url", "\"https://example.com\"", "RP2801 spec.signature.url" },
        { "a missing hash", "spec.data.hash", null!, "RP2801 spec.data.hash" },
        { "a number for a string", "spec.data.hash.algorithm", "256", "RP2801 spec.data.hash.algorithm" },
        { "an unknown kind", "kind", "\"rekord\"", "RP2801 kind" },
        { "an unknown version", "apiVersion", "\"0.0.2\"", "RP2801 apiVersion" },
        { "no spec", "spec", null!, "RP2801 spec" },
        { "a spec that is not an object", "spec", "[]", "RP2801 spec" },
    };

    [Theory]
    [MemberData(nameof(BadHashedRekords))]
    public void A_bad_hashedrekord_is_refused_naming_the_field(string what, string path, string value, string expected)
    {
        var proposal = HashedRekord(_key, Artifact);
        Set(proposal, path, value is null ? null : JsonNode.Parse(value));

        var problem = RekorProposedEntry.Check(Bytes(proposal)).Problem;

        Assert.True(problem is not null, $"{what} was accepted");
        var (code, field) = (expected.Split(' ')[0], expected.Split(' ')[1]);
        Assert.Equal(code, problem.Code);
        Assert.StartsWith(field + ":", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ed25519_key_cannot_sign_a_hashedrekord_digest()
    {
        var proposal = HashedRekord(_key, Artifact);
        proposal["spec"]!["signature"]!["publicKey"]!["content"] = Base64Pem(_ed25519.PublicKey.ToPem());

        var problem = RekorProposedEntry.Check(Bytes(proposal)).Problem!;

        Assert.Equal(ErrorCodes.RekorEntryMalformed, problem.Code);
        Assert.Contains("dsse", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_names_its_key_and_is_logged_as_the_certificate()
    {
        var request = new CertificateRequest("CN=signer", _key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var proposal = HashedRekord(_key, Artifact);
        proposal["spec"]!["signature"]!["publicKey"]!["content"] = Base64Pem(PemEncoding.WriteString("CERTIFICATE", certificate.RawData));

        var entry = RekorProposedEntry.Check(Bytes(proposal)).Value;

        var logged = Encoding.UTF8.GetString(Convert.FromBase64String(JsonNode.Parse(entry.Body)!["spec"]!["signature"]!["publicKey"]!["content"]!.GetValue<string>()));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", logged, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[]> NotProposals => new()
    {
        { "not JSON", "{\"kind\":"u8.ToArray() },
        { "an array", "[]"u8.ToArray() },
        { "a repeated member", "{\"kind\":\"dsse\",\"kind\":\"hashedrekord\",\"apiVersion\":\"0.0.1\",\"spec\":{}}"u8.ToArray() },
        { "deep nesting", Encoding.UTF8.GetBytes("{\"kind\":\"dsse\",\"apiVersion\":\"0.0.1\",\"spec\":" + new string('[', 100) + new string(']', 100) + "}") },
        { "invalid UTF-8", [(byte)'{', (byte)'"', 0xff, (byte)'"', (byte)':', (byte)'1', (byte)'}'] },
    };

    [Theory]
    [MemberData(nameof(NotProposals))]
    public void What_is_not_a_proposal_is_refused_as_malformed(string what, byte[] request)
    {
        var problem = RekorProposedEntry.Check(request).Problem;

        Assert.True(problem?.Code == ErrorCodes.RekorEntryMalformed, $"{what}: {problem}");
    }

    [Fact]
    public void An_oversized_proposal_is_refused_before_it_is_read()
    {
        var problem = RekorProposedEntry.Check(new byte[RekorProposedEntry.MaxSize + 1]).Problem!;

        Assert.Equal(ErrorCodes.InputTooLarge, problem.Code);
    }

    [Fact]
    public void A_dsse_envelope_is_logged_as_its_hashes_and_signatures_each_with_its_verifier_and_never_reads_as_an_envelope()
    {
        var envelope = Envelope("{\"_type\":\"https://in-toto.io/Statement/v1\"}", _p256, _ed25519);

        var entry = RekorProposedEntry.Check(Bytes(Dsse(envelope, _ed25519.PublicKey.ToPem(), _p256.PublicKey.ToPem()))).Value;

        var spec = JsonNode.Parse(entry.Body)!["spec"]!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(envelope))), spec["envelopeHash"]!["value"]!.GetValue<string>());
        var signatures = spec["signatures"]!.AsArray().Select(s => s!["signature"]!.GetValue<string>()).ToList();
        Assert.Equal(signatures.Order(StringComparer.Ordinal), signatures);
        Assert.Equal(2, signatures.Count);
        Assert.False(DsseEnvelope.Parse(entry.Body).IsOk);
        Assert.Null(Rollproof.Trust.EntryPeek.Of(entry.Body));
    }

    [Fact]
    public void A_dsse_entry_of_one_signature_is_the_body_a_release_bundle_logs()
    {
        var envelope = Envelope("{}", _p256);
        var parsed = DsseEnvelope.Parse(Encoding.UTF8.GetBytes(envelope)).Value;

        var entry = RekorProposedEntry.Check(Bytes(Dsse(envelope, _p256.PublicKey.ToPem()))).Value;

        Assert.Equal(RekorDsseEntry.CanonicalBody(Encoding.UTF8.GetBytes(envelope), parsed, _p256.PublicKey), entry.Body);
    }

    [Fact]
    public void A_dsse_signature_that_no_verifier_verifies_is_refused_naming_it()
    {
        var envelope = Envelope("{}", _p256, _ed25519);

        var problem = RekorProposedEntry.Check(Bytes(Dsse(envelope, _p256.PublicKey.ToPem()))).Problem!;

        Assert.Equal(ErrorCodes.RekorSignatureInvalid, problem.Code);
        Assert.StartsWith("spec.proposedContent.envelope (signatures[1]):", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dsse_envelope_whose_payload_was_changed_is_refused()
    {
        var envelope = JsonNode.Parse(Envelope("{}", _p256))!;
        envelope["payload"] = Convert.ToBase64String("{\"changed\":1}"u8);

        var problem = RekorProposedEntry.Check(Bytes(Dsse(envelope.ToJsonString(), _p256.PublicKey.ToPem()))).Problem!;

        Assert.Equal(ErrorCodes.RekorSignatureInvalid, problem.Code);
    }

    [Theory]
    [InlineData("spec.proposedContent.envelope", "\"not an envelope\"")]
    [InlineData("spec.proposedContent.verifiers", "[]")]
    [InlineData("spec.proposedContent.verifiers", "\"one\"")]
    [InlineData("spec.proposedContent.verifiers[0]", "42")]
    [InlineData("spec.proposedContent.extra", "1")]
    [InlineData("spec.envelopeHash", "{}")]
    public void A_bad_dsse_proposal_is_refused_naming_the_field(string field, string value)
    {
        var proposal = Dsse(Envelope("{}", _p256), _p256.PublicKey.ToPem());
        Set(proposal, field, JsonNode.Parse(value));

        var problem = RekorProposedEntry.Check(Bytes(proposal)).Problem!;

        Assert.Equal(ErrorCodes.RekorEntryMalformed, problem.Code);
        Assert.StartsWith(field + ":", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_dsse_verifiers_are_refused()
    {
        var pems = Enumerable.Repeat(_p256.PublicKey.ToPem(), 9).ToArray();

        var problem = RekorProposedEntry.Check(Bytes(Dsse(Envelope("{}", _p256), pems))).Problem!;

        Assert.StartsWith("spec.proposedContent.verifiers:", problem.Message, StringComparison.Ordinal);
    }

    // Sets (or, with null, removes) the member at a dotted path, where "name[0]" steps into an array.
    private static void Set(JsonNode root, string path, JsonNode? value)
    {
        var steps = path.Split('.');
        var node = root;
        foreach (var step in steps[..^1])
            node = node[step]!;
        var last = steps[^1];
        if (last.EndsWith(']'))
        {
            node[last[..last.IndexOf('[')]]![int.Parse(last[(last.IndexOf('[') + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)] = value;
            return;
        }
        if (value is null)
            node.AsObject().Remove(last);
        else
            node[last] = value;
    }
}
