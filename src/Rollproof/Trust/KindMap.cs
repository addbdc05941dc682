using Rollproof.Common;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Trust;

/// <summary>
/// Where each kind of statement sits in the log, found by one pass over every entry of a tree (a cheap look at each,
/// <see cref="EntryPeek"/>). It only says where to look: what stands there is judged when read.
/// </summary>
public sealed class KindMap
{
    private readonly Dictionary<string, List<long>> _indexes;

    private KindMap(Dictionary<string, List<long>> indexes, long size) => (_indexes, Size) = (indexes, size);

    public long Size { get; }

    public static Result<KindMap> Build(LogDirectory log, long treeSize)
    {
        var indexes = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var read in LogEntries.Range(log.Storage, 0, treeSize, treeSize))
        {
            if (!read.IsOk)
                return read.Problem;
            if (EntryPeek.PredicateType(read.Value.Entry.Span) is { } type && RollproofPredicates.KindOf(type) is { } kind)
            {
                if (!indexes.TryGetValue(kind, out var list))
                    indexes[kind] = list = [];
                list.Add(read.Value.Index);
            }
        }
        return Result<KindMap>.Ok(new KindMap(indexes, treeSize));
    }

    /// <summary>The indexes of entries that look like statements of <paramref name="kind"/>, from <paramref name="from"/> up to (not including) <paramref name="before"/>.</summary>
    public IEnumerable<long> Of(string kind, long from, long before) =>
        (_indexes.GetValueOrDefault(kind) ?? []).SkipWhile(i => i < from).TakeWhile(i => i < before);
}
