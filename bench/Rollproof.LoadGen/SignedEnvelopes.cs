using System.Security.Cryptography;
using System.Text.Json;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Signing;
using Rollproof.Trust;

namespace Rollproof.LoadGen;

/// <summary>
/// Statements signed before the clock starts, so the load measures the server, not the client's signing: each an
/// in-toto statement about a distinct subject (the log dedups identical entries), padded to about the given size.
/// The bench's own predicate type suits the bench host, which checks only the signature; the real submission endpoint
/// logs only what the CLI would sign, so for it they are deployments of one published release (<see cref="BenchRelease"/>)
/// to an environment without a policy, each told apart by its tool field.
/// </summary>
public static class SignedEnvelopes
{
    public const string BenchPredicateType = "https://rollproof.dev/bench/load/v1";

    public static byte[][] Generate(PrivateKey key, int count, int approximateSize, BenchRelease? deployed = null) =>
        [.. Enumerable.Range(0, count).AsParallel().AsOrdered().Select(i => deployed is null ? Sign(key, i, approximateSize) : SignDeployment(key, i, approximateSize, deployed))];

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

    // As 'rollproof deploy' records it: the release by log index and envelope digest, in subject and predicate.
    private static byte[] SignDeployment(PrivateKey key, int i, int approximateSize, BenchRelease release)
    {
        var tool = $"bench {i} " + new string('x', Math.Max(0, (approximateSize - 750) * 3 / 4));
        var predicate = new DeploymentPredicate("bench", release.App, release.Version, new StatementRef(release.LogIndex, release.EnvelopeDigest), tool);
        var subject = new Subject($"release:{release.App}@{release.Version}", new Dictionary<string, string> { ["sha256"] = release.EnvelopeDigest["sha256:".Length..] });
        return new InTotoStatement([subject], StatementKinds.PredicateType(StatementKinds.Deployment), PredicateJson.Write(predicate)).Sign(key).ToJson();
    }
}

/// <summary>A release published in the bench's store, as <c>APP@VERSION=LOGINDEX:sha256:HEX</c> (from <c>release publish --json</c>).</summary>
public sealed record BenchRelease(string App, string Version, long LogIndex, string EnvelopeDigest)
{
    public static BenchRelease Parse(string text)
    {
        var (name, place) = (text[..text.IndexOf('=', StringComparison.Ordinal)], text[(text.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        var at = name.IndexOf('@', StringComparison.Ordinal);
        var colon = place.IndexOf(':', StringComparison.Ordinal);
        return new BenchRelease(name[..at], name[(at + 1)..], long.Parse(place[..colon], System.Globalization.CultureInfo.InvariantCulture), place[(colon + 1)..]);
    }
}
