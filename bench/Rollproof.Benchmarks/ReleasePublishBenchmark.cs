using System.Diagnostics;
using Rollproof.Releases;
using Rollproof.Signing;

namespace Rollproof.Benchmarks;

/// <summary>
/// Publishing a release with one large artifact (random bytes, in the page cache) against <c>sha256sum</c> hashing
/// the same file: the median of <c>--runs</c> publishes, each into a fresh store so every byte is written and fsynced.
/// The process is warm; the CLI's cold start is measured separately with <c>/usr/bin/time</c> (docs/benchmarks.md).
/// </summary>
internal static class ReleasePublishBenchmark
{
    public static async Task RunAsync(BenchOptions options)
    {
        var root = Path.Combine(options.Dir ?? Path.GetTempPath(), $"rollproof-bench-publish-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            var artifact = Path.Combine(root, "artifact.bin");
            WriteRandom(artifact, options.SizeMb << 20);
            using var ci = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
            await PublishAsync(root, "warm-up", artifact, ci);

            var sha256sum = Median(options.Runs, () => Time(() => Sha256Sum(artifact)));
            var publish = new List<TimeSpan>();
            for (var run = 0; run < options.Runs; run++)
                publish.Add(await PublishAsync(root, $"run-{run}", artifact, ci));
            var median = publish.Order().ElementAt(publish.Count / 2);
            Console.WriteLine($"{options.SizeMb} MB artifact: sha256sum {sha256sum.TotalSeconds:0.000} s, publish {median.TotalSeconds:0.000} s (median of {options.Runs}; {median / sha256sum:0.00}x sha256sum)");
        }
        finally
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<TimeSpan> PublishAsync(string root, string name, string artifact, PrivateKey signer)
    {
        var store = ReleaseStore.Init(Path.Combine(root, name), "bench.example/releases").Value;
        var draft = new ReleaseDraft("bench", "1.0", [artifact], null, null, null, null, null, null);
        var timer = Stopwatch.StartNew();
        var published = await store.PublishAsync(draft, signer, TimeProvider.System);
        timer.Stop();
        if (!published.IsOk)
            throw new InvalidOperationException(published.Problem.Message);
        return timer.Elapsed;
    }

    private static void WriteRandom(string path, long size)
    {
        using var file = File.Create(path);
        var chunk = new byte[1 << 20];
        for (long written = 0; written < size; written += chunk.Length)
        {
            Random.Shared.NextBytes(chunk);
            file.Write(chunk, 0, (int)Math.Min(chunk.Length, size - written));
        }
    }

    private static void Sha256Sum(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("sha256sum", [path]) { RedirectStandardOutput = true })!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
    }

    private static TimeSpan Time(Action action)
    {
        var timer = Stopwatch.StartNew();
        action();
        return timer.Elapsed;
    }

    private static TimeSpan Median(int runs, Func<TimeSpan> measure) =>
        Enumerable.Range(0, runs).Select(_ => measure()).Order().ElementAt(runs / 2);
}
