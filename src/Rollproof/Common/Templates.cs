using System.Text.RegularExpressions;

namespace Rollproof.Common;

/// <summary>Substitutes <c>{{name}}</c> in step parameters with the rollback's values; an unknown name is left visible, never silently emptied.</summary>
public static partial class Templates
{
    public static string Apply(string text, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    public static IReadOnlyList<string> Unknown(string text, IReadOnlyDictionary<string, string> values) =>
        [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value).Where(n => !values.ContainsKey(n)).Distinct()];

    [GeneratedRegex(@"\{\{\s*([a-zA-Z0-9_.-]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
