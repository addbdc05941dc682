using System.Security.Cryptography;
using System.Text.Json;
using Rollproof.Formats;
using Rollproof.Signing;

namespace Rollproof.LoadGen;

/// <summary>
/// Statements signed before the clock starts, so the load measures the server, not the client's signing: each an
/// in-toto statement about a distinct subject (the log dedups identical entries), padded to about the given size.
/// </summary>
public static class SignedEnvelopes
{
    public const string BenchPredicateType = "https://rollproof.dev/bench/load/v1";

    public static byte[][] Generate(PrivateKey key, int count, int approximateSize) =>
        [.. Enumerable.Range(0, count).AsParallel().AsOrdered().Select(i => Sign(key, i, approximateSize))];

    /// <summary>Every file in <paramref name="dir"/>: envelopes signed by other means (the CLI's own signing commands).</summary>
    public static byte[][] Read(string dir) => [.. Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];

    private static byte[] Sign(PrivateKey key, int i, int approximateSize)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes((long)i)));
        // Base64 grows the payload by 4/3 and the envelope adds its signature and keyid: aim the padding accordingly.
        var padding = Math.Max(0, (approximateSize - 350) * 3 / 4 - 200);
        using var predicate = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(new { sequence = i, padding = new string('x', padding) }));
        var statement = new InTotoStatement([new Subject($"bench-{i}", new Dictionary<string, string> { ["sha256"] = digest })], BenchPredicateType, predicate.RootElement.Clone());
        return statement.Sign(key).ToJson();
    }
}
