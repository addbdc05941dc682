using System.Text.Json;

namespace Rollproof.Releases.Sbom;

/// <summary>Checks one JSON value found at <paramref name="path"/>: null when it conforms, else "path: what is wrong".</summary>
internal delegate string? JsonRule(JsonElement value, string path);

/// <summary>A member of a JSON object, whether it must be present, and the rule its value obeys.</summary>
internal sealed record Member(string Name, bool IsRequired, JsonRule Rule);

/// <summary>
/// The JSON-schema keywords the CycloneDX rules use (type, required, enum, pattern, minimum, items, oneOf of two
/// members), as composable rules that stop at the first violation.
/// </summary>
internal static class Shape
{
    // Messages show the offending value; an SBOM can hold megabytes in one string, so long ones are cut.
    private const int ShownLength = 80;

    public static readonly JsonRule String = (value, path) =>
        value.ValueKind == JsonValueKind.String ? null : Violation(path, $"must be a string, found {Describe(value)}");

    public static readonly JsonRule Boolean = (value, path) =>
        value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : Violation(path, $"must be true or false, found {Describe(value)}");

    public static readonly JsonRule Integer = (value, path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _) ? null : Violation(path, $"must be an integer, found {Describe(value)}");

    public static Member Required(string name, JsonRule rule) => new(name, true, rule);

    public static Member Optional(string name, JsonRule rule) => new(name, false, rule);

    public static JsonRule Object(params Member[] members) => (value, path) =>
    {
        if (value.ValueKind != JsonValueKind.Object)
            return Violation(path, $"must be an object, found {Describe(value)}");
        foreach (var member in members)
        {
            if (value.TryGetProperty(member.Name, out var found))
            {
                if (member.Rule(found, $"{path}.{member.Name}") is { } problem)
                    return problem;
            }
            else if (member.IsRequired)
            {
                return Violation($"{path}.{member.Name}", "is required");
            }
        }
        return null;
    };

    public static JsonRule ArrayOf(JsonRule item) => (value, path) =>
    {
        if (value.ValueKind != JsonValueKind.Array)
            return Violation(path, $"must be an array, found {Describe(value)}");
        var index = 0;
        foreach (var element in value.EnumerateArray())
        {
            if (item(element, $"{path}[{index++}]") is { } problem)
                return problem;
        }
        return null;
    };

    /// <summary>Every rule in turn, so that later ones may rely on the shape that earlier ones checked.</summary>
    public static JsonRule All(params JsonRule[] rules) => (value, path) =>
        rules.Select(rule => rule(value, path)).FirstOrDefault(problem => problem is not null);

    /// <summary>An object holding exactly one of two alternative members.</summary>
    public static JsonRule ExactlyOneOf(string first, string second) => (value, path) =>
    {
        if (value.ValueKind != JsonValueKind.Object)
            return Violation(path, $"must be an object, found {Describe(value)}");
        return (value.TryGetProperty(first, out _), value.TryGetProperty(second, out _)) switch
        {
            (true, true) => Violation(path, $"must have either {first} or {second}, not both"),
            (false, false) => Violation(path, $"must have {first} or {second}"),
            _ => null,
        };
    };

    public static JsonRule StringWhere(Func<string, bool> accepts, string expectation) => All(String, (value, path) =>
    {
        var text = value.GetString()!;
        return accepts(text) ? null : Violation(path, $"{expectation}, found {Quote(text)}");
    });

    public static JsonRule OneOf(params string[] allowed)
    {
        var quoted = allowed.Select(value => $"'{value}'").ToArray();
        var choices = quoted.Length == 1 ? quoted[0] : $"{string.Join(", ", quoted[..^1])} or {quoted[^1]}";
        return StringWhere(allowed.Contains, $"must be {choices}");
    }

    public static JsonRule IntegerAtLeast(long minimum) => All(Integer, (value, path) =>
        value.GetInt64() >= minimum ? null : Violation(path, $"must be at least {minimum}, found {value.GetInt64()}"));

    public static string Violation(string path, string message) => $"{path}: {message}";

    public static string Quote(string text) => $"'{Shorten(text)}'";

    private static string Shorten(string text) => text.Length <= ShownLength ? text : $"{text[..ShownLength]}… ({text.Length} characters)";

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => Quote(value.GetString()!),
        JsonValueKind.Number => Shorten(value.GetRawText()),
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => "null",
    };
}
