using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Rollproof.Formats;

namespace Rollproof.Trust;

/// <summary>
/// A cheap first look at a log entry when scanning the log: the predicate type of the in-toto statement inside a DSSE
/// envelope, without checking anything. It only decides which entries are judged properly
/// (<see cref="StatementJudge"/>); what it says is never believed on its own.
/// </summary>
public static class EntryPeek
{
    /// <summary>
    /// The statement's predicate type, or null when the entry is not a DSSE in-toto envelope. A fast reader handles
    /// the usual envelope; anything it cannot read goes through the full parsers, so the answer is theirs.
    /// </summary>
    public static string? PredicateType(ReadOnlySpan<byte> entry)
    {
        try
        {
            if (Payload(entry) is { } payload && FindPredicateType(payload) is { } type)
                return type;
        }
        catch (JsonException)
        {
        }
        var envelope = DsseEnvelope.Parse(entry);
        if (!envelope.IsOk || envelope.Value.PayloadType != InTotoStatement.PayloadType)
            return null;
        var statement = InTotoStatement.FromEnvelope(envelope.Value);
        return statement.IsOk ? statement.Value.PredicateType : null;
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

    private static string? FindPredicateType(byte[] statement)
    {
        var reader = new Utf8JsonReader(statement);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("predicateType"u8);
            reader.Read();
            if (isType)
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            reader.Skip();
        }
        return null;
    }
}
