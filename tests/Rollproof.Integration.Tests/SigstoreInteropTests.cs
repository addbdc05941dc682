using System.Text;
using System.Text.Json.Nodes;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Sigstore;
using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>
/// Our Sigstore bundles and trusted root, checked by sigstore-js's own verifier (@sigstore/verify, pinned by
/// package-lock.json, run by Node): it must accept what we publish with its default thresholds, offline, and
/// reject every tampered copy.
/// </summary>
public sealed class SigstoreInteropTests : IClassFixture<SigstoreJs>, IDisposable
{
    private readonly SigstoreJs _sigstore;
    private readonly TempDirectory _dir = new();

    public SigstoreInteropTests(SigstoreJs sigstore) => _sigstore = sigstore;

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256, false)]
    [InlineData(KeyAlgorithm.Ed25519, false)]
    [InlineData(KeyAlgorithm.EcdsaP256, true)]
    public async Task Sigstore_js_verifies_our_bundle_offline_against_our_trusted_root(KeyAlgorithm signerAlgorithm, bool ecdsaLog)
    {
        var published = await PublishAsync(signerAlgorithm, ecdsaLog);

        var verified = _sigstore.Verify(published.Bundle, published.TrustedRoot, published.PublicKey);

        Assert.True(verified.ExitCode == 0, $"@sigstore/verify refused our bundle: {verified.Error}");
        Assert.Contains("\"verified\":true", verified.Out, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Tamperings => new()
    {
        { "payload", "dsseEnvelope.payload" },
        { "signature", "dsseEnvelope.signatures[0].sig" },
        { "logged body", "tlogEntries[0].canonicalizedBody" },
        { "integrated time", "tlogEntries[0].integratedTime" },
        { "entry timestamp", "tlogEntries[0].inclusionPromise.signedEntryTimestamp" },
        { "proof hash", "tlogEntries[0].inclusionProof.hashes[0]" },
        { "checkpoint", "tlogEntries[0].inclusionProof.checkpoint.envelope" },
        { "log index", "tlogEntries[0].logIndex" },
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task Sigstore_js_rejects_a_tampered_bundle(string what, string field)
    {
        var published = await PublishAsync(KeyAlgorithm.EcdsaP256, ecdsaLog: false);
        var bundle = JsonNode.Parse(File.ReadAllBytes(published.Bundle))!;
        Tamper(bundle, field);
        File.WriteAllText(published.Bundle, bundle.ToJsonString());

        var verified = _sigstore.Verify(published.Bundle, published.TrustedRoot, published.PublicKey);

        Assert.True(verified.ExitCode == 1, $"a bundle with a changed {what} was accepted: {verified.Out}{verified.Error}");
    }

    [Fact]
    public async Task Sigstore_js_rejects_our_bundle_under_another_logs_trusted_root_or_another_key()
    {
        var published = await PublishAsync(KeyAlgorithm.EcdsaP256, ecdsaLog: false);
        var other = await PublishAsync(KeyAlgorithm.EcdsaP256, ecdsaLog: false);

        Assert.Equal(1, _sigstore.Verify(published.Bundle, other.TrustedRoot, published.PublicKey).ExitCode);
        Assert.Equal(1, _sigstore.Verify(published.Bundle, published.TrustedRoot, other.PublicKey).ExitCode);
    }

    private sealed record Published(string Bundle, string TrustedRoot, string PublicKey);

    private async Task<Published> PublishAsync(KeyAlgorithm signerAlgorithm, bool ecdsaLog)
    {
        var root = _dir.Combine(Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        string? logKey = null;
        if (ecdsaLog)
        {
            using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
            logKey = Path.Combine(root, "log.pem");
            await File.WriteAllTextAsync(logKey, key.ToUnencryptedPem());
        }
        var store = ReleaseStore.Init(Path.Combine(root, "store"), "example.com/releases", logKey).Value;
        var artifact = Path.Combine(root, "app.tar");
        await File.WriteAllBytesAsync(artifact, Encoding.UTF8.GetBytes("release bytes " + root));
        using var signer = PrivateKey.Generate(signerAlgorithm);
        var draft = new ReleaseDraft("web", "1.0.0", [artifact], null, null, null, null, null, null);

        var published = await store.PublishAsync(draft, signer, TimeProvider.System, sigstoreBundle: true);

        Assert.True(published.IsOk, published.IsOk ? "" : published.Problem.Message);
        var files = new Published(Path.Combine(root, "bundle.json"), Path.Combine(root, "trusted_root.json"), Path.Combine(root, "signer.pub"));
        await File.WriteAllBytesAsync(files.Bundle, published.Value.SigstoreBundle!);
        await File.WriteAllBytesAsync(files.TrustedRoot, TrustedRoot.Create(store.Log.Verifier, store.Log.Config.CreatedAt!.Value));
        await File.WriteAllTextAsync(files.PublicKey, signer.PublicKey.ToPem());
        return files;
    }

    // Changes one byte of a base64 field, one digit of a number, or one character of the checkpoint's root line.
    private static void Tamper(JsonNode bundle, string field)
    {
        var node = field.StartsWith("dsse", StringComparison.Ordinal) ? bundle : bundle["verificationMaterial"]!;
        var path = field.Split('.');
        foreach (var step in path[..^1])
            node = Step(node, step);
        var (parent, name) = (node, path[^1]);
        var value = Step(parent, name).GetValue<string>();
        string changed;
        if (name == "envelope")
        {
            var lines = value.Split('\n');
            lines[2] = Convert.ToBase64String(Flip(Convert.FromBase64String(lines[2])));
            changed = string.Join('\n', lines);
        }
        else if (long.TryParse(value, out var number))
        {
            changed = (number + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            changed = Convert.ToBase64String(Flip(Convert.FromBase64String(value)));
        }
        Assign(parent, name, changed);
    }

    private static byte[] Flip(byte[] bytes)
    {
        bytes[bytes.Length / 2] ^= 0x01;
        return bytes;
    }

    private static JsonNode Step(JsonNode node, string step) =>
        step.EndsWith(']') ? node[step[..step.IndexOf('[')]]![int.Parse(step[(step.IndexOf('[') + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]! : node[step]!;

    private static void Assign(JsonNode parent, string step, string value)
    {
        if (step.EndsWith(']'))
            parent[step[..step.IndexOf('[')]]![int.Parse(step[(step.IndexOf('[') + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)] = value;
        else
            parent[step] = value;
    }
}
