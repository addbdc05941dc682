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

    /// <summary>Reads a release from its DSSE envelope's JSON: the envelope, its statement and the release predicate (no signature check).</summary>
    public static Result<OpenedRelease> Open(ReadOnlySpan<byte> envelopeJson)
    {
        var envelope = DsseEnvelope.Parse(envelopeJson);
        if (!envelope.IsOk)
            return envelope.Problem;
        var statement = InTotoStatement.FromEnvelope(envelope.Value);
        if (!statement.IsOk)
            return statement.Problem;
        var predicate = Read(statement.Value);
        return predicate.IsOk ? Result<OpenedRelease>.Ok(new OpenedRelease(envelope.Value, statement.Value, predicate.Value)) : predicate.Problem;
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

/// <summary>A release as read from its envelope, before any signature is checked.</summary>
public sealed record OpenedRelease(DsseEnvelope Envelope, InTotoStatement Statement, ReleasePredicate Predicate);
