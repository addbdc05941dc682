using Rollproof.Common;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Trust;

/// <summary>
/// Where each kind of statement sits in the log, and which environment each says it is about, found by a pass over
/// every entry of a tree (a cheap look at each, <see cref="EntryPeek"/>). It only says where to look: what stands
/// there is judged when read. A map of a smaller tree of the same log is extended by reading only the new entries,
/// and every entry read is hashed into the tree's <see cref="CompactRange"/>, which must give the checkpoint's root:
/// an entry altered in its bundle, or left out, stops the map from being made.
/// </summary>
public sealed class KindMap
{
    private readonly Dictionary<string, List<(long Index, string? Environment)>> _entries;

    private KindMap(Dictionary<string, List<(long, string?)>> entries, CompactRange range) => (_entries, Range) = (entries, range);

    public long Size => Range.Size;

    /// <summary>The tree the map describes, as the subtree roots its entries hash to.</summary>
    public CompactRange Range { get; }

    /// <summary>Every kind with the entries that look like it, in log order.</summary>
    public IReadOnlyDictionary<string, List<(long Index, string? Environment)>> Entries => _entries;

    public static KindMap Empty => new(new(StringComparer.Ordinal), CompactRange.Empty());

    public static KindMap Of(Dictionary<string, List<(long Index, string? Environment)>> entries, CompactRange range) => new(entries, range);

    /// <summary>This map extended to the tree under <paramref name="checkpoint"/> of the same log, reading the entries it lacks.</summary>
    public Result<KindMap> Extend(LogDirectory log, Checkpoint checkpoint)
    {
        var treeSize = checkpoint.Size;
        if (treeSize == Size)
            return Result<KindMap>.Ok(this);
        var entries = _entries.ToDictionary(e => e.Key, e => e.Value.ToList(), StringComparer.Ordinal);
        var range = CompactRange.Of(Range.Size, Range.Hashes)!;
        foreach (var read in LogEntries.Range(log.Storage, Size, treeSize, treeSize))
        {
            if (!read.IsOk)
                return read.Problem;
            range.Append(read.Value.Entry.Span);
            if (EntryPeek.Of(read.Value.Entry.Span) is { } look && RollproofPredicates.KindOf(look.PredicateType) is { } kind)
            {
                if (!entries.TryGetValue(kind, out var list))
                    entries[kind] = list = [];
                list.Add((read.Value.Index, look.Environment));
            }
        }
        return range.Root().AsSpan().SequenceEqual(checkpoint.RootHash)
            ? Result<KindMap>.Ok(new KindMap(entries, range))
            : Result<KindMap>.Fail(ErrorCodes.RootMismatch, $"the entries of the log from index {Size} to {treeSize - 1} do not hash to its checkpoint's root: an entry bundle was altered, or entries are missing");
    }

    /// <summary>
    /// The indexes of entries that look like statements of <paramref name="kind"/>, from <paramref name="from"/> up to
    /// (not including) <paramref name="before"/>; with <paramref name="environment"/>, only those that name it or
    /// name none.
    /// </summary>
    public IEnumerable<long> Of(string kind, long from, long before, string? environment = null) =>
        (_entries.GetValueOrDefault(kind) ?? []).SkipWhile(e => e.Index < from).TakeWhile(e => e.Index < before)
            .Where(e => environment is null || e.Environment is null || e.Environment == environment).Select(e => e.Index);
}
