using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Storage;

namespace Rollproof.Retention;

/// <summary>A release gc keeps whole, and every reason it must (<see cref="RetentionSet"/>).</summary>
public sealed record KeptRelease(string App, string Version, IReadOnlyList<string> Reasons);

/// <summary>
/// What a collection would do or did: the releases kept and why, the releases whose artifacts go (those no kept
/// release shares), the artifact blobs freed and how many bytes they held, and the statements set aside as unsigned.
/// </summary>
public sealed record GarbageReport(IReadOnlyList<KeptRelease> Kept, IReadOnlyList<string> Collected, IReadOnlyList<string> Removed, long Bytes, IReadOnlyList<string> SetAside);

/// <summary>
/// Frees the artifacts of releases the <see cref="RetentionSet"/> does not keep. Those releases lose only their
/// artifacts (the statement's subjects), and only those no kept release shares. Envelopes (signatures and
/// statements), SBOMs, scripts and receipts are evidence and are never collected. When what must be kept cannot be
/// read, nothing is freed.
/// </summary>
public static class GarbageCollector
{
    public static async Task<Result<GarbageReport>> CollectAsync(ReleaseStore store, RetentionRules rules, string stateFile, string? archive, bool dryRun, TimeProvider clock, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rules.Keep, 1);
        if (store.Artifacts is not FileSystemArtifactStore local)
            return Result<GarbageReport>.Fail(ErrorCodes.OperationUnsupported, $"gc frees blobs in a store's own artifacts/ directory; this store keeps them at {store.ArtifactLocation}, whose own lifecycle rules expire objects");
        var records = store.List();
        if (!records.IsOk)
            return records.Problem;
        var retention = await RetentionSet.ReadAsync(store, rules, stateFile, clock, cancellation);
        if (!retention.IsOk)
            return retention.Problem;
        var protectedDigests = new HashSet<string>(retention.Value.Digests, StringComparer.Ordinal);
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<KeptRelease>();
        var collected = new List<string>();
        foreach (var record in records.Value)
        {
            var contents = await store.OpenReleaseAsync(record, cancellation);
            if (!contents.IsOk)
                return contents.Problem;
            var (_, statement, predicate) = contents.Value;
            var reasons = retention.Value.ReasonsFor(record);
            if (reasons.Count > 0)
            {
                // What the record's envelope names too: keeping more than the log asks is never wrong.
                protectedDigests.UnionWith(ReleaseContents.Digests(statement, predicate));
                kept.Add(new KeptRelease(record.App, record.Version, reasons));
            }
            else
            {
                candidates.UnionWith(statement.Subjects.Select(s => "sha256:" + s.Digest.GetValueOrDefault("sha256", "")));
                collected.Add($"{record.App} {record.Version}");
            }
        }
        candidates.ExceptWith(protectedDigests);
        var removed = new List<string>();
        long bytes = 0;
        foreach (var candidate in candidates.Order(StringComparer.Ordinal))
        {
            var digest = Sha256Digest.Parse(candidate);
            if (!digest.IsOk || !await local.ExistsAsync(digest.Value, cancellation))
                continue;
            bytes += local.Size(digest.Value);
            removed.Add(candidate);
            if (!dryRun)
                local.Remove(digest.Value, archive);
        }
        return Result<GarbageReport>.Ok(new GarbageReport(kept, collected, removed, bytes, retention.Value.SetAside));
    }
}
