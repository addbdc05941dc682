using System.Diagnostics;
using System.Text.Json;
using Rollproof.Releases;
using Rollproof.Signing;

namespace Rollproof.Benchmarks;

/// <summary>
/// Verifying a published release's signature, trust and inclusion, with a tiny artifact so that hashing artifacts
/// (which costs what sha256 costs) does not hide the rest.
/// </summary>
internal static class ReleaseVerifyBenchmark
{
    private static readonly string[] ReleaseKind = ["release"];

    public static async Task RunAsync(BenchOptions options)
    {
        var root = Path.Combine(Path.GetTempPath(), $"rollproof-bench-release-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            var logKey = NoteKeys.GenerateEd25519("bench.example/releases");
            File.WriteAllText(Path.Combine(root, "log.key"), logKey.SignerKey);
            var store = ReleaseStore.Init(Path.Combine(root, "store"), logKey.Name, Path.Combine(root, "log.key")).Value;
            using var ci = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
            File.WriteAllText(Path.Combine(root, "artifact"), "tiny artifact");
            File.WriteAllText(Path.Combine(root, "sbom.json"), """{"bomFormat":"CycloneDX","specVersion":"1.6","version":1}""");
            var draft = new ReleaseDraft("bench", "1.0", [Path.Combine(root, "artifact")], Path.Combine(root, "sbom.json"), null, null, null, null, null);
            await store.PublishAsync(draft, ci, TimeProvider.System);
            var trust = TrustFile.Parse(JsonSerializer.SerializeToUtf8Bytes(new { keys = new[] { new { name = "ci", kinds = ReleaseKind, validFrom = "2020-01-01T00:00:00Z", publicKey = ci.PublicKey.ToPem() } } })).Value;
            var state = Path.Combine(root, "seen");

            for (var i = 0; i < 50; i++)
                _ = (await ReleaseVerifier.VerifyAsync(store, "bench", "1.0", trust, state)).Value;
            var timer = Stopwatch.StartNew();
            var runs = 0;
            while (timer.Elapsed.TotalSeconds < options.Seconds)
            {
                if (!(await ReleaseVerifier.VerifyAsync(store, "bench", "1.0", trust, state)).IsOk)
                    throw new InvalidOperationException("verification failed");
                runs++;
            }
            Console.WriteLine($"release verify (signature, log timestamp, trust, inclusion, consistency with the last checkpoint seen, one tiny artifact): {timer.Elapsed.TotalMilliseconds / runs:0.00} ms each over {runs} runs");
        }
        finally
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Directory.Delete(root, recursive: true);
        }
    }
}
