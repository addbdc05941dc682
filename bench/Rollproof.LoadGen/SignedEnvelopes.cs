using System.Security.Cryptography;
using System.Text.Json;
using Rollproof.Formats;
using Rollproof.Runbooks;
using Rollproof.Signing;
using Rollproof.Trust;

namespace Rollproof.LoadGen;

/// <summary>
/// Statements signed before the clock starts, so the load measures the server, not the client's signing: each an
/// in-toto statement about a distinct subject (the log dedups identical entries), padded to about the given size.
/// The bench's own predicate type suits the bench host, which checks only the signature; the real submission endpoint
/// takes only Rollproof statements its token's actor may sign, so for it they are notifications, which an operator
/// signs and no ledger rule beyond the trust constrains.
/// </summary>
public static class SignedEnvelopes
{
    public const string BenchPredicateType = "https://rollproof.dev/bench/load/v1";

    public static byte[][] Generate(PrivateKey key, int count, int approximateSize, bool notifications = false) =>
        [.. Enumerable.Range(0, count).AsParallel().AsOrdered().Select(i => notifications ? SignNotification(key, i, approximateSize) : Sign(key, i, approximateSize))];

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

    // A notification about a request that need not exist: the endpoint checks the signer's trust, not the reference.
    private static byte[] SignNotification(PrivateKey key, int i, int approximateSize)
    {
        var request = new StatementRef(0, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes((long)i))));
        var message = $"bench {i} " + new string('x', Math.Max(0, (approximateSize - 700) * 3 / 4));
        var digest = Storage.Sha256Digest.Of(System.Text.Encoding.UTF8.GetBytes(message)).ToString();
        var predicate = new NotificationPredicate(request, "internal", message, digest, "bench");
        return RequestStatement.About(request, Ledger.StatementKinds.Notification, predicate).Sign(key).ToJson();
    }
}
