using System.Diagnostics;
using System.Security.Cryptography;
using Rollproof.Sigstore.Verification;

namespace Rollproof.Benchmarks;

/// <summary>
/// Sigstore bundle verifications per second, in-process, on the cases scripts/bench-sigstore.sh lists (one a line,
/// tab-separated: name, bundle, trusted root, key PEM or <c>-</c>, identity, issuer, artifact), which bench/SigstoreJs
/// verifies with <c>@sigstore/verify</c> in the same run. As a client does, each trusted root is parsed once; each
/// verification parses its bundle and hashes its artifact bytes. <c>--threads</c> threads each loop over all the cases,
/// for a warm-up and then for <c>--seconds</c>.
/// </summary>
internal static class SigstoreBundleBenchmark
{
    public static void Run(string casesFile, double seconds, int threads)
    {
        var cases = File.ReadAllLines(casesFile).Where(l => l.Length > 0).Select(Case.Read).ToArray();
        foreach (var c in cases)
        {
            var problem = c.Verify();
            if (problem is not null)
                throw new InvalidOperationException($"{c.Name} does not verify: {problem}");
        }
        Measure(cases, Math.Min(2, seconds), threads);
        var rate = Measure(cases, seconds, threads);
        Console.WriteLine($"rollproof bundles/s: {rate:F0} ({threads} threads, {cases.Length} bundles: {string.Join(' ', cases.Select(c => c.Name))})");
    }

    private static double Measure(Case[] cases, double seconds, int threads)
    {
        var counts = new long[threads];
        var timer = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            long verified = 0;
            while (timer.Elapsed.TotalSeconds < seconds)
            {
                foreach (var c in cases)
                {
                    if (c.Verify() is { } problem)
                        throw new InvalidOperationException($"{c.Name} failed: {problem}");
                    verified++;
                }
            }
            counts[t] = verified;
        });
        return counts.Sum() / timer.Elapsed.TotalSeconds;
    }

    private sealed record Case(string Name, byte[] Bundle, TrustedRootMaterial Root, ExpectedSigner Signer, byte[] Artifact)
    {
        public string? Verify()
        {
            var result = SigstoreBundleVerifier.Verify(Bundle, BundleArtifact.FromBytes(Artifact), Signer, Root, DateTimeOffset.UtcNow);
            return result.IsOk ? null : result.Problem.ToString();
        }

        public static Case Read(string line)
        {
            var f = line.Split('\t');
            var root = TrustedRootMaterial.Parse(File.ReadAllBytes(f[2]));
            if (!root.IsOk)
                throw new InvalidDataException($"{f[0]}: {root.Problem}");
            var signer = f[3] == "-"
                ? ExpectedSigner.Certificate(f[4], f[5])
                : ExpectedSigner.Key(PublicKeySpki(f[3]));
            return new Case(f[0], File.ReadAllBytes(f[1]), root.Value, signer, File.ReadAllBytes(f[6]));
        }

        private static byte[] PublicKeySpki(string pemFile)
        {
            var pem = File.ReadAllText(pemFile);
            return Convert.FromBase64String(pem[PemEncoding.Find(pem).Base64Data]);
        }
    }
}
