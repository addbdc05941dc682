using Rollproof.Common;
using Rollproof.Storage;

namespace Rollproof.Releases;

/// <summary>What a collection would do or did: the artifact blobs released, and how many bytes they held.</summary>
public sealed record GarbageReport(IReadOnlyList<string> Removed, long Bytes, IReadOnlyList<string> KeptReleases);

/// <summary>
/// Frees the artifacts of old releases. For each app the newest <c>keep</c> logged releases keep everything; older
/// releases lose only their artifacts (the statement's subjects), and only those no kept release shares. Envelopes
/// (signatures and statements), SBOMs, scripts and receipts are evidence and are never collected, nor is any blob
/// of a release whose publish was cut short.
/// </summary>
public static class GarbageCollector
{
    public static async Task<Result<GarbageReport>> CollectAsync(ReleaseStore store, int keep, string? archive, bool dryRun, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        if (store.Artifacts is not FileSystemArtifactStore local)
            return Result<GarbageReport>.Fail(ErrorCodes.OperationUnsupported, $"gc frees blobs in a store's own artifacts/ directory; this store keeps them at {store.ArtifactLocation}, whose own lifecycle rules expire objects");
        var records = store.List();
        if (!records.IsOk)
            return records.Problem;
        var protectedDigests = new HashSet<string>(StringComparer.Ordinal);
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<string>();
        foreach (var app in records.Value.GroupBy(r => r.App, StringComparer.Ordinal))
        {
            var newestFirst = app.OrderByDescending(r => r.PublishedAt).ToList();
            for (var i = 0; i < newestFirst.Count; i++)
            {
                var record = newestFirst[i];
                var contents = await store.OpenReleaseAsync(record, cancellation);
                if (!contents.IsOk)
                    return contents.Problem;
                var (_, statement, predicate) = contents.Value;
                var artifacts = statement.Subjects.Select(s => "sha256:" + s.Digest.GetValueOrDefault("sha256", ""));
                if (i < keep || record.LogIndex is null)
                {
                    protectedDigests.UnionWith(ReleaseContents.Digests(statement, predicate));
                    kept.Add($"{record.App} {record.Version}");
                }
                else
                {
                    candidates.UnionWith(artifacts);
                }
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
        return Result<GarbageReport>.Ok(new GarbageReport(removed, bytes, kept));
    }
}
