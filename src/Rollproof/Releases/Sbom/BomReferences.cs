using System.Text.Json;

namespace Rollproof.Releases.Sbom;

/// <summary>
/// bom-refs name the elements of a BOM so that others can point at them: each one, wherever it is declared, must be
/// non-empty and unique within the BOM, and every ref of a dependency must name one of them.
/// </summary>
internal static class BomReferences
{
    private const string Declaration = "bom-ref";

    /// <summary>Runs after <see cref="BomRules"/>, so the dependencies are known to be well-formed.</summary>
    public static string? Check(JsonElement bom)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        return Collect(bom, "$", declared) ?? CheckDependencies(bom, declared);
    }

    // value is an object or an array.
    private static string? Collect(JsonElement value, string path, HashSet<string> declared)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in value.EnumerateObject())
            {
                var problem = member.Name == Declaration
                    ? Declare(member.Value, $"{path}.{Declaration}", declared)
                    : Descend(member.Value, $"{path}.{member.Name}", declared);
                if (problem is not null)
                    return problem;
            }
        }
        else
        {
            var index = 0;
            foreach (var element in value.EnumerateArray())
            {
                if (Descend(element, $"{path}[{index++}]", declared) is { } problem)
                    return problem;
            }
        }
        return null;
    }

    // Only objects and arrays can declare anything; skipping scalars also spares building their paths.
    private static string? Descend(JsonElement value, string path, HashSet<string> declared) =>
        value.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? Collect(value, path, declared) : null;

    private static string? Declare(JsonElement reference, string path, HashSet<string> declared)
    {
        if (reference.ValueKind != JsonValueKind.String || reference.GetString() is not { Length: > 0 } name)
            return Shape.Violation(path, "must be a non-empty string");
        return declared.Add(name) ? null : Shape.Violation(path, $"{Shape.Quote(name)} is declared more than once; a bom-ref is unique within a BOM");
    }

    private static string? CheckDependencies(JsonElement bom, HashSet<string> declared)
    {
        if (!bom.TryGetProperty("dependencies", out var dependencies))
            return null;
        var index = 0;
        foreach (var dependency in dependencies.EnumerateArray())
        {
            var path = $"$.dependencies[{index++}]";
            var problem = Resolve(dependency.GetProperty("ref"), $"{path}.ref", declared)
                ?? ResolveEach(dependency, path, "dependsOn", declared)
                ?? ResolveEach(dependency, path, "provides", declared);
            if (problem is not null)
                return problem;
        }
        return null;
    }

    private static string? ResolveEach(JsonElement dependency, string path, string name, HashSet<string> declared)
    {
        if (!dependency.TryGetProperty(name, out var references))
            return null;
        return references.EnumerateArray()
            .Select((reference, index) => Resolve(reference, $"{path}.{name}[{index}]", declared))
            .FirstOrDefault(problem => problem is not null);
    }

    private static string? Resolve(JsonElement reference, string path, HashSet<string> declared)
    {
        var name = reference.GetString()!;
        return declared.Contains(name) ? null : Shape.Violation(path, $"{Shape.Quote(name)} is not the bom-ref of anything in this BOM");
    }
}
