using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Rollproof.Formats;

namespace Rollproof.Trust;

/// <summary>
/// A cheap first look at a log entry when scanning the log: the predicate type of the in-toto statement inside a DSSE
/// envelope, and the environment its predicate names, without checking anything. It only decides which entries are
/// judged properly (<see cref="StatementJudge"/>); what it says is never believed on its own.
/// </summary>
public static class EntryPeek
{
    /// <summary>What a look at an entry finds: the statement's predicate type and the environment its predicate names, if any.</summary>
    public readonly record struct Look(string PredicateType, string? Environment);

    /// <summary>
    /// The predicate type and environment, or null when the entry is not a DSSE in-toto envelope. The environment is
    /// read as the full parser reads it (a document with a repeated member never reads there, so never counts).
    /// </summary>
    public static Look? Of(ReadOnlySpan<byte> entry)
    {
        try
        {
            if (Payload(entry) is { } payload && Find(payload) is { } look)
                return look;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not read here: the full parsers below give the answer.
        }
        var envelope = DsseEnvelope.Parse(entry);
        if (!envelope.IsOk || envelope.Value.PayloadType != InTotoStatement.PayloadType)
            return null;
        var statement = InTotoStatement.FromEnvelope(envelope.Value);
        if (!statement.IsOk)
            return null;
        var predicate = statement.Value.Predicate;
        var environment = predicate.ValueKind == JsonValueKind.Object && predicate.TryGetProperty("environment", out var named) && named.ValueKind == JsonValueKind.String ? named.GetString() : null;
        return new Look(statement.Value.PredicateType, environment);
    }

    // The base64 "payload" of an envelope whose "payloadType" is in-toto's, decoded.
    private static byte[]? Payload(ReadOnlySpan<byte> entry)
    {
        var reader = new Utf8JsonReader(entry);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return null;
        byte[]? payload = null;
        var inToto = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isPayload = reader.ValueTextEquals("payload"u8);
            var isType = reader.ValueTextEquals("payloadType"u8);
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
                reader.Skip();
            else if (isPayload)
                payload = Decode(reader.ValueSpan);
            else if (isType)
                inToto = reader.ValueTextEquals(InTotoStatement.PayloadType);
        }
        return inToto ? payload : null;
    }

    private static byte[]? Decode(ReadOnlySpan<byte> base64)
    {
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
        return Base64.DecodeFromUtf8(base64, bytes, out _, out var written) == OperationStatus.Done ? bytes[..written] : null;
    }

    // The top-level "predicateType" and the "environment" string of the top-level "predicate" object.
    private static Look? Find(byte[] statement)
    {
        var reader = new Utf8JsonReader(statement);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return null;
        string? type = null, environment = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("predicateType"u8);
            var isPredicate = reader.ValueTextEquals("predicate"u8);
            reader.Read();
            if (isType && reader.TokenType == JsonTokenType.String)
                type = reader.GetString();
            else if (isPredicate && reader.TokenType == JsonTokenType.StartObject)
                environment = EnvironmentIn(ref reader);
            else
                reader.Skip();
        }
        return type is null ? null : new Look(type, environment);
    }

    // Reads the predicate object to its end, keeping its top-level "environment" string.
    private static string? EnvironmentIn(ref Utf8JsonReader reader)
    {
        string? environment = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isEnvironment = reader.ValueTextEquals("environment"u8);
            reader.Read();
            if (isEnvironment && reader.TokenType == JsonTokenType.String)
                environment = reader.GetString();
            else
                reader.Skip();
        }
        return environment;
    }
}
