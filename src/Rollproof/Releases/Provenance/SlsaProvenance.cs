using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Formats;

namespace Rollproof.Releases.Provenance;

/// <summary>
/// SLSA Provenance v1 (https://slsa.dev/provenance/v1): the required shape of its predicate, the build facts a
/// release predicate repeats from it, and the statement Rollproof writes when it is handed only those facts.
/// </summary>
public static class SlsaProvenance
{
    public const string PredicateType = "https://slsa.dev/provenance/v1";

    /// <summary>The buildType of provenance Rollproof writes from build facts it was handed (it did not watch the build).</summary>
    public const string StatedBuildType = "https://rollproof.dev/build/stated/v1";

    /// <summary>Null when the statement is SLSA Provenance v1 with the fields the spec requires, else "path: what is wrong".</summary>
    public static string? Check(InTotoStatement statement)
    {
        if (statement.PredicateType != PredicateType)
            return $"$.predicateType: '{statement.PredicateType}' is not SLSA Provenance v1 ({PredicateType})";
        var p = statement.Predicate;
        if (!p.TryGetProperty("buildDefinition", out var definition) || definition.ValueKind != JsonValueKind.Object)
            return "$.predicate.buildDefinition: is required and must be an object";
        if (Text(definition, "buildType") is not { Length: > 0 })
            return "$.predicate.buildDefinition.buildType: is required and must be a string";
        if (!definition.TryGetProperty("externalParameters", out var external) || external.ValueKind != JsonValueKind.Object)
            return "$.predicate.buildDefinition.externalParameters: is required and must be an object";
        if (!p.TryGetProperty("runDetails", out var run) || run.ValueKind != JsonValueKind.Object)
            return "$.predicate.runDetails: is required and must be an object";
        if (!run.TryGetProperty("builder", out var builder) || builder.ValueKind != JsonValueKind.Object || Text(builder, "id") is not { Length: > 0 })
            return "$.predicate.runDetails.builder.id: is required and must be a string";
        return null;
    }

    /// <summary>
    /// The build facts the release predicate repeats: the builder's ID; the source as the first resolved dependency
    /// with a <c>gitCommit</c> digest (as GitHub's and SLSA's generators record the repository); and every resolved
    /// dependency with a sha256 digest as an input.
    /// </summary>
    public static BuildProvenance Facts(InTotoStatement statement)
    {
        var p = statement.Predicate;
        var definition = p.GetProperty("buildDefinition");
        var dependencies = definition.TryGetProperty("resolvedDependencies", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(d => d.ValueKind == JsonValueKind.Object).ToList()
            : [];
        var source = dependencies.FirstOrDefault(d => Digest(d, "gitCommit") is not null);
        var inputs = dependencies
            .Where(d => Digest(d, "sha256") is not null)
            .Select(d => new BuildInput(Text(d, "name") ?? Text(d, "uri") ?? "", "sha256:" + Digest(d, "sha256")))
            .ToList();
        return new BuildProvenance(
            Text(p.GetProperty("runDetails").GetProperty("builder"), "id")!,
            source.ValueKind == JsonValueKind.Object ? Text(source, "uri") ?? "unknown" : "unknown",
            source.ValueKind == JsonValueKind.Object ? Digest(source, "gitCommit")! : "unknown",
            inputs,
            null);
    }

    /// <summary>
    /// The SLSA Provenance v1 statement for build facts Rollproof was handed: the artifacts as subjects, the facts as
    /// external parameters and resolved dependencies (the source at its commit, each input by digest), the builder's ID.
    /// </summary>
    public static InTotoStatement Write(IReadOnlyList<Subject> artifacts, BuildProvenance facts)
    {
        var dependencies = new JsonArray();
        if (facts.SourceRepository != "unknown")
            dependencies.Add(new JsonObject { ["uri"] = facts.SourceRepository, ["digest"] = new JsonObject { ["gitCommit"] = facts.SourceCommit } });
        foreach (var input in facts.Inputs)
            dependencies.Add(new JsonObject { ["name"] = input.Name, ["digest"] = new JsonObject { ["sha256"] = input.Digest.StartsWith("sha256:", StringComparison.Ordinal) ? input.Digest[7..] : input.Digest } });
        var external = new JsonObject { ["sourceRepository"] = facts.SourceRepository, ["sourceCommit"] = facts.SourceCommit };
        if (facts.Generator is { } generator)
            external["codeGenerator"] = JsonSerializer.SerializeToNode(generator, PredicateJson.Options);
        var predicate = new JsonObject
        {
            ["buildDefinition"] = new JsonObject { ["buildType"] = StatedBuildType, ["externalParameters"] = external, ["resolvedDependencies"] = dependencies },
            ["runDetails"] = new JsonObject { ["builder"] = new JsonObject { ["id"] = facts.BuilderId } },
        };
        return new InTotoStatement(artifacts, PredicateType, JsonSerializer.SerializeToElement(predicate));
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Digest(JsonElement descriptor, string algorithm) =>
        descriptor.TryGetProperty("digest", out var digest) && digest.ValueKind == JsonValueKind.Object ? Text(digest, algorithm) : null;
}
