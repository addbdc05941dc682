using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Trust;

namespace Rollproof.Ledger;

/// <summary>A statement read back from the log with its typed predicate; <see cref="Ref"/> is how later statements name it.</summary>
public sealed record LoggedPredicate<T>(LedgerEntry Entry, T Predicate)
{
    public StatementRef Ref => new(Entry.Index, Entry.Digest);
}

/// <summary>Reads a judged statement of a known kind; only a statement that counts is read any further.</summary>
public static class LoggedPredicate
{
    /// <summary>The predicate of a statement of <paramref name="kind"/>, or null when it is another kind or does not read as one.</summary>
    public static T? Of<T>(InTotoStatement statement, string kind) where T : class =>
        PredicateJson.Read<T>(statement, StatementKinds.PredicateType(kind), "a " + kind) is { IsOk: true } read ? read.Value : null;

    /// <summary>The predicate of a judged entry, which must be of <paramref name="kind"/> and count.</summary>
    public static Result<LoggedPredicate<T>> Parse<T>(LedgerEntry entry, string kind) where T : class
    {
        if (entry.Kind != kind || entry.Statement is not { } statement)
            return Result<LoggedPredicate<T>>.Fail(ErrorCodes.InputMalformed, $"log entry {entry.Index} is {Article.For(entry.Kind)} statement, not {Article.For(kind)}");
        if (!entry.Counts)
            return Result<LoggedPredicate<T>>.Fail(ErrorCodes.KeyNotTrusted, $"log entry {entry.Index} ({kind}) does not count: {entry.SetAside}");
        var predicate = PredicateJson.Read<T>(statement, StatementKinds.PredicateType(kind), "a " + kind);
        return predicate.IsOk
            ? Result<LoggedPredicate<T>>.Ok(new LoggedPredicate<T>(entry, predicate.Value))
            : predicate.Problem with { Message = $"log entry {entry.Index}: {predicate.Problem.Message}" };
    }
}
