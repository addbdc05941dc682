using Rollproof.Common;
using Rollproof.Formats;

namespace Rollproof.Releases;

/// <summary>Turns a release (artifacts by digest and its predicate) into an in-toto statement, and back.</summary>
public static class ReleaseStatement
{
    public static InTotoStatement Create(IReadOnlyList<Subject> artifacts, ReleasePredicate predicate)
    {
        if (artifacts.Count == 0)
            throw new ArgumentException("a release has at least one artifact", nameof(artifacts));
        return new InTotoStatement(artifacts, ReleasePredicate.PredicateType, PredicateJson.Write(predicate));
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

    public static Result<ReleasePredicate> Read(InTotoStatement statement) => PredicateJson.Read<ReleasePredicate>(statement, ReleasePredicate.PredicateType, "a Rollproof release");
}

/// <summary>A release as read from its envelope, before any signature is checked.</summary>
public sealed record OpenedRelease(DsseEnvelope Envelope, InTotoStatement Statement, ReleasePredicate Predicate);
