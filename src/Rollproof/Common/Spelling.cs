namespace Rollproof.Common;

/// <summary>The known name a mistyped one was most likely meant to be, for "did you mean" hints.</summary>
public static class Spelling
{
    /// <summary>The name in <paramref name="known"/> fewest single-character edits away from <paramref name="typed"/>, if it is at most a third of the typed length away (and at least 1).</summary>
    public static string? Closest(string typed, IEnumerable<string> known)
    {
        var limit = Math.Max(1, typed.Length / 3);
        return known.Select(k => (Name: k, Distance: Distance(typed, k))).Where(c => c.Distance <= limit).OrderBy(c => c.Distance).Select(c => c.Name).FirstOrDefault();
    }

    // Levenshtein distance with two rows: names here are short, so the quadratic time is nothing.
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
