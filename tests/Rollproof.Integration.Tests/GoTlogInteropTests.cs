using System.Text.Json.Nodes;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;
using Rollproof.Transparency;

namespace Rollproof.Integration.Tests;

/// <summary>
/// Go's own golang.org/x/mod/sumdb/tlog and sumdb/note, installed from Debian and built offline, must agree with us
/// byte for byte on tree roots and proofs for the same leaves, and must verify our Ed25519 checkpoints.
/// </summary>
public sealed class GoTlogInteropTests : IClassFixture<GoTlogInteropTests.Oracle>
{
    private readonly Oracle _go;

    public GoTlogInteropTests(Oracle go) => _go = go;

    /// <summary>Builds the Go program once for the class (installing golang-go if the machine lacks it).</summary>
    public sealed class Oracle : IDisposable
    {
        private readonly TempDirectory _build = new();

        public Oracle()
        {
            var script = Path.Combine(SharedFiles.RepositoryRoot, "tests", "Rollproof.Integration.Tests", "GoOracle", "build.sh");
            var built = ExternalProcess.Run("bash", [script, _build.Path]);
            Assert.True(built.ExitCode == 0, "building the Go oracle failed: " + built.Error);
            Binary = built.Out.Trim();
        }

        public string Binary { get; }

        public JsonNode Ask(JsonObject request)
        {
            var answer = ExternalProcess.Run(Binary, [], request.ToJsonString());
            Assert.True(answer.ExitCode == 0, "Go oracle failed: " + answer.Error);
            return JsonNode.Parse(answer.Out)!;
        }

        public void Dispose() => _build.Dispose();
    }

    [Fact]
    public async Task Roots_inclusion_and_consistency_proofs_are_byte_identical_to_go()
    {
        using var dir = new TempDirectory();
        const int size = 1_500;
        var random = new Random(2026);
        var entries = Enumerable.Range(0, size).Select(_ => RandomEntry(random)).ToList();
        var signer = NoteKeys.GenerateEd25519("interop.example/log");
        var storage = new FileSystemLogStorage(dir.Path);
        LogWriter.Create(storage, signer);
        await using (var writer = LogWriter.Open(storage, signer).Value)
        {
            foreach (var chunk in entries.Chunk(333))
                await Task.WhenAll(chunk.Select(e => writer.AppendAsync(e)));
        }
        var ours = new ProofBuilder(new TileNodeSource(storage, size));

        var sizes = new[] { 0, 1, 2, 3, 255, 256, 257, 511, 512, 1000, size };
        var inclusion = Enumerable.Range(0, 60).Select(_ => random.Next(1, size + 1)).Select(n => (Index: random.Next(0, n), Size: n)).ToList();
        var consistency = Enumerable.Range(0, 60).Select(_ => random.Next(1, size + 1)).Select(n => (Old: random.Next(1, n + 1), New: n)).ToList();
        var answer = _go.Ask(new JsonObject
        {
            ["leaves"] = new JsonArray([.. entries.Select(e => (JsonNode)Convert.ToBase64String(e))]),
            ["roots"] = new JsonArray([.. sizes.Select(s => (JsonNode)s)]),
            ["inclusion"] = new JsonArray([.. inclusion.Select(p => (JsonNode)new JsonObject { ["index"] = p.Index, ["size"] = p.Size })]),
            ["consistency"] = new JsonArray([.. consistency.Select(p => (JsonNode)new JsonObject { ["old"] = p.Old, ["new"] = p.New })]),
        });

        for (var i = 0; i < sizes.Length; i++)
            Assert.Equal(answer["roots"]![i]!["root"]!.GetValue<string>(), Convert.ToBase64String(ours.Root(sizes[i])));
        for (var i = 0; i < inclusion.Count; i++)
            Assert.Equal(Hashes(answer["inclusion"]![i]!), ours.Inclusion(inclusion[i].Index, inclusion[i].Size).Value.Select(Convert.ToBase64String));
        for (var i = 0; i < consistency.Count; i++)
            Assert.Equal(Hashes(answer["consistency"]![i]!), ours.Consistency(consistency[i].Old, consistency[i].New).Value.Select(Convert.ToBase64String));
    }

    [Fact]
    public async Task Go_verifies_our_ed25519_checkpoints_and_rejects_tampered_ones()
    {
        using var dir = new TempDirectory();
        var signer = await TestLogs.CreateAsync(dir.Path, 42);
        var checkpoint = File.ReadAllText(Path.Combine(dir.Path, "checkpoint"));
        var tampered = checkpoint.Replace("\n42\n", "\n43\n", StringComparison.Ordinal);

        var answer = _go.Ask(new JsonObject
        {
            ["notes"] = new JsonArray(
                new JsonObject { ["vkey"] = signer.VerifierKey, ["note"] = checkpoint },
                new JsonObject { ["vkey"] = signer.VerifierKey, ["note"] = tampered }),
        });

        Assert.True(answer["notes"]![0]!["ok"]!.GetValue<bool>(), answer["notes"]![0]!["error"]!.GetValue<string>());
        Assert.Equal(checkpoint[..checkpoint.IndexOf("\n\n", StringComparison.Ordinal)] + "\n", answer["notes"]![0]!["text"]!.GetValue<string>());
        Assert.False(answer["notes"]![1]!["ok"]!.GetValue<bool>());
    }

    private static byte[] RandomEntry(Random random)
    {
        var entry = new byte[random.Next(0, 200)];
        random.NextBytes(entry);
        return entry;
    }

    private static IEnumerable<string> Hashes(JsonNode proof) => proof["hashes"]!.AsArray().Select(h => h!.GetValue<string>());
}
