using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Trust;

namespace Rollproof.Ledger;

/// <summary>Statements found in the log: those that count, read, and those set aside, each with why.</summary>
public sealed record CountedStatements<T>(IReadOnlyList<LoggedPredicate<T>> Counted, IReadOnlyList<string> SetAside);

/// <summary>
/// The ledger as one command reads it: the store's log up to one checkpoint, and the trust that log establishes.
/// Statements are found by reading the log (<see cref="LogScan"/>) and count only through the one trust path, so a
/// decision re-derived from a view depends on nothing but the log.
/// </summary>
public sealed class LedgerView
{
    private readonly KindMap _map;

    private LedgerView(ReleaseStore store, TrustFile trust, KindMap map) => (Store, Trust, _map) = (store, trust, map);

    public ReleaseStore Store { get; }

    public TrustFile Trust { get; }

    /// <summary>The size of the checkpoint the view reads up to.</summary>
    public long Size => _map.Size;

    public static Result<LedgerView> Open(ReleaseStore store)
    {
        // One read of the checkpoint for both, so the trust and the map are of the same tree.
        var read = store.ReadTrustAtCheckpoint();
        return read.IsOk ? Result<LedgerView>.Ok(new LedgerView(store, read.Value.Trust, read.Value.Map)) : read.Problem;
    }

    /// <summary>The statement of <paramref name="kind"/> at <paramref name="index"/>, which must count.</summary>
    public Result<LoggedPredicate<T>> Read<T>(long index, string kind) where T : class
    {
        var entry = Entry(index);
        return entry.IsOk ? LoggedPredicate.Parse<T>(entry.Value, kind) : entry.Problem;
    }

    /// <summary>The entry at <paramref name="index"/>, of any kind, proven to be the one the view's checkpoint commits to, and judged.</summary>
    public Result<LedgerEntry> Entry(long index)
    {
        var entries = Entries(index, index + 1);
        return entries.IsOk ? Result<LedgerEntry>.Ok(entries.Value[0]) : entries.Problem;
    }

    /// <summary>Every entry from <paramref name="from"/> up to (not including) <paramref name="before"/>, whatever its kind, proven and judged, in log order.</summary>
    public Result<IReadOnlyList<LedgerEntry>> Entries(long from, long before)
    {
        var proven = new ProvenEntries(Store.Log, _map);
        var found = new List<LedgerEntry>();
        for (var index = from; index < before; index++)
        {
            var bytes = proven.Read(index);
            var entry = bytes.IsOk ? LedgerEntries.Judge(Store.Log, Trust, index, bytes.Value.Span) : bytes.Problem;
            if (!entry.IsOk)
                return entry.Problem;
            found.Add(entry.Value);
        }
        return Result<IReadOnlyList<LedgerEntry>>.Ok(found);
    }

    /// <summary>The statement <paramref name="reference"/> names, which must be of <paramref name="kind"/>, count, and have that digest.</summary>
    public Result<LoggedPredicate<T>> Read<T>(StatementRef reference, string kind) where T : class
    {
        var read = Read<T>(reference.LogIndex, kind);
        if (!read.IsOk)
            return read.Problem;
        return read.Value.Ref == reference
            ? read
            : Result<LoggedPredicate<T>>.Fail(ErrorCodes.ReleaseMismatch, $"log entry {reference.LogIndex} is not the {kind} statement named ({reference.Digest}): its digest is {read.Value.Ref.Digest}");
    }

    /// <summary>
    /// Every statement of <paramref name="kind"/> logged from <paramref name="from"/> up to (not including)
    /// <paramref name="before"/>; with <paramref name="environment"/>, only those that say they are about it.
    /// </summary>
    public Result<IReadOnlyList<LedgerEntry>> Kind(string kind, long from = 0, long? before = null, string? environment = null) =>
        LogScan.Kind(Store.Log, Trust, _map, kind, from, before ?? Size, environment);

    /// <summary>
    /// Every statement of <paramref name="kind"/> logged before <paramref name="before"/> (default: all), about
    /// <paramref name="environment"/> if given, sorted as <see cref="Referring{T}"/> sorts them.
    /// </summary>
    public Result<CountedStatements<T>> Statements<T>(string kind, long? before = null, string? environment = null) where T : class =>
        Sort<T>(Kind(kind, 0, before, environment), kind);

    /// <summary>
    /// The statements of <paramref name="kind"/> about <paramref name="target"/> logged before <paramref name="before"/>
    /// (default: all): those that count, read, and those set aside, reported. One that counts but does not read as
    /// its kind stops the answer: it could change a decision.
    /// </summary>
    public Result<CountedStatements<T>> Referring<T>(StatementRef target, string kind, long? before = null) where T : class
    {
        var entries = LogScan.Referring(Store.Log, Trust, _map, target, kind, before ?? Size);
        if (!entries.IsOk)
            return entries.Problem;
        // Found by its signed subject; its predicate must name the same statement, or live and offline readers
        // (which go by the predicate) could disagree on what it is about.
        foreach (var entry in entries.Value.Where(e => e.Counts))
            if (StatementSubjects.PredicateNames(entry.Statement!) is { } named && named != target)
                return Result<CountedStatements<T>>.Fail(ErrorCodes.ReleaseMismatch, $"log entry {entry.Index} ({kind}) names log index {target.LogIndex} in its subject but log index {named.LogIndex} ({named.Digest}) in its predicate");
        return Sort<T>(entries, kind);
    }

    private static Result<CountedStatements<T>> Sort<T>(Result<IReadOnlyList<LedgerEntry>> entries, string kind) where T : class
    {
        if (!entries.IsOk)
            return entries.Problem;
        var counted = new List<LoggedPredicate<T>>();
        var setAside = new List<string>();
        foreach (var entry in entries.Value)
        {
            if (!entry.Counts)
            {
                setAside.Add($"log entry {entry.Index} ({kind}) not counted: {entry.SetAside}");
                continue;
            }
            var read = LoggedPredicate.Parse<T>(entry, kind);
            if (!read.IsOk)
                return read.Problem;
            counted.Add(read.Value);
        }
        return Result<CountedStatements<T>>.Ok(new CountedStatements<T>(counted, setAside));
    }
}
