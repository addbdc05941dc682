using System.Text;
using System.Text.Json;
using Json.Schema;

namespace Rollproof.Releases.Sbom;

/// <summary>
/// Evaluates a document against an official schema and names a violation as "$.path: what is wrong". Formats are
/// asserted, not just annotated: the CycloneDX signature schema tells a JWA algorithm name from a URI only by
/// <c>format: uri</c>, so without assertion every valid signature matches two branches of a oneOf and is refused.
/// "date-time" is RFC 3339 as <see cref="Rfc3339"/> reads it (leap seconds, lowercase t and z).
/// </summary>
internal static class SchemaCheck
{
    private static readonly Lazy<FormatRegistry> Formats = new(() =>
    {
        var formats = new FormatRegistry();
        formats.Register(new PredicateFormat("date-time", value => value.ValueKind != JsonValueKind.String || Rfc3339.IsDateTime(value.GetString()!)));
        return formats;
    });

    // A valid document is the common case: the pass/fail answer alone is several times faster than building the tree
    // of results, which is built only to say where an invalid one fails.
    private static readonly Lazy<EvaluationOptions> Check = new(() => Options(OutputFormat.Flag));

    private static readonly Lazy<EvaluationOptions> Explain = new(() => Options(OutputFormat.Hierarchical));

    public static string? FirstViolation(JsonSchema schema, JsonElement document) =>
        schema.Evaluate(document, Check.Value).IsValid ? null : Describe(Deepest(schema.Evaluate(document, Explain.Value)));

    private static EvaluationOptions Options(OutputFormat output) =>
        new() { OutputFormat = output, RequireFormatValidation = true, FormatRegistry = Formats.Value };

    // Where a oneOf or anyOf fails, every branch fails somewhere; the first failing leaf is as good a guide as any,
    // and its location is where the document differs from one of the shapes the schema allows.
    private static EvaluationResults Deepest(EvaluationResults node)
    {
        while ((node.Details ?? []).FirstOrDefault(d => !d.IsValid) is { } child)
            node = child;
        return node;
    }

    private static string Describe(EvaluationResults node)
    {
        var errors = node.Errors is { Count: > 0 } found ? string.Join("; ", found.Select(e => e.Key.Length > 0 ? $"{e.Key}: {e.Value}" : e.Value)) : "does not match the schema";
        return Shape.Violation(JsonPath(node.InstanceLocation.ToString()), $"{errors} (schema {node.EvaluationPath})");
    }

    /// <summary>A JSON Pointer (<c>/components/0/name</c>) as the JSON path the other rules name (<c>$.components[0].name</c>).</summary>
    internal static string JsonPath(string pointer)
    {
        var path = new StringBuilder("$");
        foreach (var token in pointer.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)))
            path.Append(token.Length > 0 && token.All(char.IsAsciiDigit) ? $"[{token}]" : $".{token}");
        return path.ToString();
    }
}
