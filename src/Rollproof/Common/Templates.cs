using System.Text.RegularExpressions;

namespace Rollproof.Common;

/// <summary>Substitutes <c>{{name}}</c> in step parameters with the rollback's values; an unknown name is left visible, never silently emptied.</summary>
public static partial class Templates
{
    public static string Apply(string text, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    public static IReadOnlyList<string> Unknown(string text, IReadOnlyDictionary<string, string> values) =>
        [.. Names(text).Where(n => !values.ContainsKey(n))];

    /// <summary>Every name <paramref name="text"/> substitutes, once each, in order.</summary>
    public static IReadOnlyList<string> Names(string text) =>
        [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value).Distinct()];

    /// <summary>
    /// Why <paramref name="text"/> holds a <c>{{</c> that is no placeholder (never closed, empty, not a name), or null.
    /// Such text would otherwise be used as written, unchecked, and found wrong only when its step runs.
    /// </summary>
    public static string? Malformed(string text)
    {
        for (var open = text.IndexOf("{{", StringComparison.Ordinal); open >= 0; open = text.IndexOf("{{", open + 2, StringComparison.Ordinal))
        {
            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
                return $"'{Excerpt(text[open..])}' opens '{{{{' and never closes it with '}}}}'";
            var name = text[(open + 2)..close].Trim();
            if (name.Length == 0)
                return "'{{}}' names nothing";
            if (!Name().IsMatch(name))
                return $"'{{{{{Excerpt(name)}}}}}' is not a name (letters, digits, '.', '_', '-')";
            open = close;
        }
        return null;
    }

    private static string Excerpt(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex(@"\{\{\s*([a-zA-Z0-9_.-]+)\s*\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^[a-zA-Z0-9_.-]+$")]
    private static partial Regex Name();
}
