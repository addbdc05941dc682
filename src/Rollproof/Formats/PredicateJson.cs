using System.Text.Json;
using System.Text.Json.Serialization;
using Rollproof.Common;

namespace Rollproof.Formats;

/// <summary>
/// How Rollproof's predicates are written into statements and read back: camelCase, and absent values written as
/// null, never omitted (<c>"downDigest": null</c> states plainly that a migration is irreversible); reading refuses
/// a missing required member rather than inventing a default. Enums are written as camelCase names.
/// </summary>
public static class PredicateJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    public static JsonElement Write<T>(T predicate) => JsonSerializer.SerializeToElement(predicate, Options);

    /// <summary>
    /// The statement's predicate as a <typeparamref name="T"/>, if its type is <paramref name="predicateType"/>
    /// (<paramref name="what"/> names it in messages, e.g. "a Rollproof release"); problems name the field.
    /// </summary>
    public static Result<T> Read<T>(InTotoStatement statement, string predicateType, string what) where T : class
    {
        if (statement.PredicateType != predicateType)
            return Result<T>.Fail(ErrorCodes.EnvelopeMalformed, $"$.predicateType: '{statement.PredicateType}' is not {what} ({predicateType})");
        try
        {
            var predicate = statement.Predicate.Deserialize<T>(Options);
            return predicate is null ? Result<T>.Fail(ErrorCodes.EnvelopeMalformed, "$.predicate: is null") : Result<T>.Ok(predicate);
        }
        catch (JsonException e)
        {
            return Result<T>.Fail(ErrorCodes.EnvelopeMalformed, $"$.predicate{e.Path?.TrimStart('$')}: {e.Message}");
        }
    }
}
