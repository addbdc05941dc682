using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;

namespace Rollproof.Releases;

/// <summary>Turns a release (artifacts by digest and its predicate) into an in-toto statement, and back.</summary>
public static class ReleaseStatement
{
    // Absent values are written as null, never omitted: "downDigest": null states plainly that a migration is irreversible.
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static InTotoStatement Create(IReadOnlyList<Subject> artifacts, ReleasePredicate predicate)
    {
        if (artifacts.Count == 0)
            throw new ArgumentException("a release has at least one artifact", nameof(artifacts));
        return new InTotoStatement(artifacts, ReleasePredicate.PredicateType, JsonSerializer.SerializeToElement(predicate, Json));
    }

    public static Result<ReleasePredicate> Read(InTotoStatement statement)
    {
        if (statement.PredicateType != ReleasePredicate.PredicateType)
            return Result<ReleasePredicate>.Fail(ErrorCodes.EnvelopeMalformed, $"$.predicateType: '{statement.PredicateType}' is not a Rollproof release ({ReleasePredicate.PredicateType})");
        try
        {
            var predicate = statement.Predicate.Deserialize<ReleasePredicate>(Json);
            return predicate is null
                ? Result<ReleasePredicate>.Fail(ErrorCodes.EnvelopeMalformed, "$.predicate: is null")
                : Result<ReleasePredicate>.Ok(predicate);
        }
        catch (JsonException e)
        {
            return Result<ReleasePredicate>.Fail(ErrorCodes.EnvelopeMalformed, $"$.predicate{e.Path?.TrimStart('$')}: {e.Message}");
        }
    }
}
