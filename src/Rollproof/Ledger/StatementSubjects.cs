using System.Globalization;
using System.Text.Json;
using Rollproof.Formats;
using Rollproof.Trust;

namespace Rollproof.Ledger;

/// <summary>
/// How a statement about an earlier one names it in its subject: <c>statement:INDEX</c> (approvals, reviews) or
/// <c>request:INDEX</c> (executions, notifications, reports), with the entry's SHA-256. Read from the signed subject,
/// so a statement is tied to what it is about before its predicate is parsed.
/// </summary>
public static class StatementSubjects
{
    private static readonly string[] Prefixes = ["statement:", "request:"];

    public static Subject For(string prefix, StatementRef target) =>
        new($"{prefix}{target.LogIndex.ToString(CultureInfo.InvariantCulture)}", new Dictionary<string, string> { ["sha256"] = target.Digest["sha256:".Length..] });

    /// <summary>
    /// The earlier statement the predicate names in its <c>subject</c> (approvals) or <c>request</c> (reviews,
    /// executions, notifications, reports) member, or null if it names none that reads.
    /// </summary>
    public static StatementRef? PredicateNames(InTotoStatement statement)
    {
        foreach (var member in new[] { "subject", "request" })
            if (statement.Predicate.ValueKind == JsonValueKind.Object && statement.Predicate.TryGetProperty(member, out var named) && named.ValueKind == JsonValueKind.Object
                && named.TryGetProperty("logIndex", out var index) && index.ValueKind == JsonValueKind.Number && index.TryGetInt64(out var logIndex)
                && named.TryGetProperty("digest", out var digest) && digest.ValueKind == JsonValueKind.String)
                return new StatementRef(logIndex, digest.GetString()!);
        return null;
    }

    /// <summary>The earlier statement the subject names, or null if it names none.</summary>
    public static StatementRef? RefersTo(InTotoStatement statement)
    {
        foreach (var subject in statement.Subjects)
            foreach (var prefix in Prefixes)
                if (subject.Name.StartsWith(prefix, StringComparison.Ordinal)
                    && long.TryParse(subject.Name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    && subject.Digest.TryGetValue("sha256", out var hex))
                    return new StatementRef(index, "sha256:" + hex);
        return null;
    }
}
