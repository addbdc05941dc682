using Rollproof.Common;

namespace Rollproof.Transparency;

/// <summary>
/// The log stamps entries as it appends them, so their signed times never go backwards as indexes grow: an entry
/// stamped earlier than one before it was backdated by whoever holds the log key. Fed entries in index order, it
/// remembers only the last stamped one; entries appended without a timestamp are skipped.
/// </summary>
public sealed class EntryTimeOrder
{
    private (long Index, DateTimeOffset Time)? _last;

    /// <summary>Null unless <paramref name="time"/> is earlier than the last stamped entry's.</summary>
    public Problem? Next(long index, DateTimeOffset? time)
    {
        if (time is not { } stamped)
            return null;
        if (_last is { } last && stamped < last.Time)
            return new Problem(ErrorCodes.EntryTimestampOutOfOrder, $"the log stamped entry {index} ({stamped:O}) earlier than entry {last.Index} ({last.Time:O}): entry times must not go backwards as indexes grow");
        _last = (index, stamped);
        return null;
    }
}
