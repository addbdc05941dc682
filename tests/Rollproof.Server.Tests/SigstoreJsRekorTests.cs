using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Rollproof.Signing;
using Rollproof.Sigstore;
using Rollproof.Testing;

namespace Rollproof.Server.Tests;

/// <summary>
/// Stock Sigstore clients log to our server end to end: @sigstore/sign (npm, pinned) signs with a local key, logs
/// through its own Rekor v1 client to a real <c>rollproof serve</c>, and builds a bundle from the answer; then
/// @sigstore/verify checks that bundle offline against a trusted root naming only our log's key. A bundle changed in
/// any part the log vouches for is refused.
/// </summary>
public sealed class SigstoreJsRekorTests(RekorServer served, SigstoreJs sigstore) : IClassFixture<RekorServer>, IClassFixture<SigstoreJs>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("dsse", KeyAlgorithm.EcdsaP256)]
    [InlineData("dsse", KeyAlgorithm.Ed25519)]
    [InlineData("hashedrekord", KeyAlgorithm.EcdsaP256)]
    public async Task A_bundle_sigstore_js_logged_with_us_verifies_against_our_trusted_root(string kind, KeyAlgorithm algorithm)
    {
        var before = await TreeSizeAsync();

        var signed = Sign(kind, algorithm);

        var verified = sigstore.Verify(signed.Bundle, signed.TrustedRoot, signed.PublicKey, kind == "hashedrekord" ? signed.Artifact : null);
        Assert.True(verified.ExitCode == 0, $"@sigstore/verify refused the bundle: {verified.Error}");
        Assert.Contains("\"verified\":true", verified.Out, StringComparison.Ordinal);
        Assert.Equal(before + 1, await TreeSizeAsync());
    }

    public static TheoryData<string> Tamperings => new()
    {
        "dsseEnvelope.payload",
        "verificationMaterial.tlogEntries.0.inclusionPromise.signedEntryTimestamp",
        "verificationMaterial.tlogEntries.0.inclusionProof.hashes.0",
        "verificationMaterial.tlogEntries.0.canonicalizedBody",
        "verificationMaterial.tlogEntries.0.integratedTime",
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void A_bundle_changed_after_logging_is_refused(string field)
    {
        var signed = Sign("dsse", KeyAlgorithm.EcdsaP256);
        var bundle = JsonNode.Parse(File.ReadAllText(signed.Bundle))!;
        var steps = field.Split('.');
        var parent = steps[..^1].Aggregate(bundle, (node, step) => int.TryParse(step, out var i) ? node[i]! : node[step]!);
        var value = Step(parent, steps[^1]).GetValue<string>();
        var changed = long.TryParse(value, out var number) ? (number + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : Flip(value);
        if (int.TryParse(steps[^1], out var at))
            parent[at] = changed;
        else
            parent[steps[^1]] = changed;
        File.WriteAllText(signed.Bundle, bundle.ToJsonString());

        var verified = sigstore.Verify(signed.Bundle, signed.TrustedRoot, signed.PublicKey);

        Assert.True(verified.ExitCode == 1, $"a bundle with a changed {field} was accepted: {verified.Out}");
    }

    [Fact]
    public void A_message_signature_bundle_does_not_verify_another_artifact()
    {
        var signed = Sign("hashedrekord", KeyAlgorithm.EcdsaP256);
        var other = _dir.Combine("other.txt");
        File.WriteAllText(other, "not what was signed");

        Assert.Equal(1, sigstore.Verify(signed.Bundle, signed.TrustedRoot, signed.PublicKey, other).ExitCode);
    }

    [Fact]
    public void A_bundle_logged_with_us_does_not_verify_against_another_logs_trusted_root()
    {
        var signed = Sign("dsse", KeyAlgorithm.EcdsaP256);
        var otherLog = NoteKeys.GenerateEd25519(served.Store.Store.Log.Verifier.Name);
        var otherRoot = _dir.Combine("other_root.json");
        File.WriteAllBytes(otherRoot, TrustedRoot.Create(NoteKeys.ParseVerifierKey(otherLog.VerifierKey).Value, DateTimeOffset.UnixEpoch));

        Assert.Equal(1, sigstore.Verify(signed.Bundle, otherRoot, signed.PublicKey).ExitCode);
    }

    private sealed record Signed(string Artifact, string Bundle, string TrustedRoot, string PublicKey);

    private Signed Sign(string kind, KeyAlgorithm algorithm)
    {
        var root = _dir.Combine(Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        using var key = PrivateKey.Generate(algorithm);
        var signed = new Signed(Path.Combine(root, "artifact.json"), Path.Combine(root, "bundle.json"), Path.Combine(root, "trusted_root.json"), Path.Combine(root, "signer.pub"));
        File.WriteAllText(signed.Artifact, $"{{\"_type\":\"https://in-toto.io/Statement/v1\",\"note\":\"{root}\"}}");
        File.WriteAllText(Path.Combine(root, "signer.pem"), key.ToUnencryptedPem());
        File.WriteAllText(signed.PublicKey, key.PublicKey.ToPem());
        var log = served.Store.Store.Log;
        File.WriteAllBytes(signed.TrustedRoot, TrustedRoot.Create(log.Verifier, log.Config.CreatedAt!.Value));

        var outcome = sigstore.Sign(served.Server.Url, kind, signed.Artifact, Path.Combine(root, "signer.pem"), signed.Bundle);

        Assert.True(outcome.ExitCode == 0, $"@sigstore/sign failed to log with us: {outcome.Error}");
        return signed;
    }

    private async Task<long> TreeSizeAsync() => (await served.Server.Http.GetFromJsonAsync<JsonObject>("api/v1/log"))!["treeSize"]!.GetValue<long>();

    private static JsonNode Step(JsonNode node, string step) => int.TryParse(step, out var i) ? node[i]! : node[step]!;

    // One bit of the decoded bytes changed, so the field stays well-formed base64.
    private static string Flip(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        bytes[bytes.Length / 2] ^= 0x01;
        return Convert.ToBase64String(bytes);
    }
}
