using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Common;

namespace Rollproof.Formats;

/// <summary>An in-toto ResourceDescriptor as a statement subject: a name and its digests (algorithm → lowercase hex).</summary>
public sealed record Subject(string Name, IReadOnlyDictionary<string, string> Digest);

/// <summary>
/// An in-toto Statement v1: subjects bound by digest to a typed predicate. Its canonical (RFC 8785) JSON is the
/// payload of a DSSE envelope of type <see cref="PayloadType"/>.
/// </summary>
public sealed record InTotoStatement(IReadOnlyList<Subject> Subjects, string PredicateType, JsonElement Predicate)
{
    public const string Type = "https://in-toto.io/Statement/v1";
    public const string PayloadType = "application/vnd.in-toto+json";
    public const int MaxSize = 16 << 20;

    public byte[] ToCanonicalJson()
    {
        var json = new JsonObject
        {
            ["_type"] = Type,
            ["subject"] = new JsonArray([.. Subjects.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.Name,
                ["digest"] = new JsonObject([.. s.Digest.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value))]),
            })]),
            ["predicateType"] = PredicateType,
            ["predicate"] = JsonNode.Parse(Predicate.GetRawText()),
        };
        return CanonicalJson.Canonicalize(JsonSerializer.SerializeToElement(json)).Value;
    }

    public DsseEnvelope Sign(params IBytesSigner[] signers) => DsseEnvelope.Sign(PayloadType, ToCanonicalJson(), signers);

    /// <summary>Reads a statement from an envelope, refusing any other payload type.</summary>
    public static Result<InTotoStatement> FromEnvelope(DsseEnvelope envelope) =>
        envelope.PayloadType == PayloadType
            ? Parse(envelope.Payload)
            : Fail("$", $"envelope payload type is '{envelope.PayloadType}', not '{PayloadType}'");

    public static Result<InTotoStatement> Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxSize)
            return Fail("$", $"statement is {json.Length} bytes, more than the {MaxSize}-byte limit");
        JsonElement root;
        try
        {
            // Every string text, the predicate's too: readers of the predicate (EntryPeek, the predicate types) rely on it.
            using var document = TextJson.Parse(json.ToArray(), new JsonDocumentOptions { AllowDuplicateProperties = false });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return Fail("$", $"not valid JSON: {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object)
            return Fail("$", "a statement is a JSON object");
        if (!root.TryGetProperty("_type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != Type)
            return Fail("$._type", $"must be '{Type}'");
        if (!root.TryGetProperty("subject", out var subjects) || subjects.ValueKind != JsonValueKind.Array || subjects.GetArrayLength() == 0)
            return Fail("$.subject", "must be a non-empty array");
        var parsed = new List<Subject>();
        var index = 0;
        foreach (var subject in subjects.EnumerateArray())
        {
            var one = ParseSubject(subject, $"$.subject[{index++}]");
            if (!one.IsOk)
                return one.Problem;
            parsed.Add(one.Value);
        }
        if (!root.TryGetProperty("predicateType", out var predicateType) || predicateType.ValueKind != JsonValueKind.String || !Uri.IsWellFormedUriString(predicateType.GetString(), UriKind.Absolute))
            return Fail("$.predicateType", "must be an absolute URI");
        if (!root.TryGetProperty("predicate", out var predicate) || predicate.ValueKind != JsonValueKind.Object)
            return Fail("$.predicate", "must be a JSON object");
        return Result<InTotoStatement>.Ok(new InTotoStatement(parsed, predicateType.GetString()!, predicate));
    }

    private static Result<Subject> ParseSubject(JsonElement subject, string path)
    {
        if (subject.ValueKind != JsonValueKind.Object)
            return Result<Subject>.Fail(ErrorCodes.EnvelopeMalformed, $"{path}: must be an object");
        var name = subject.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
        if (!subject.TryGetProperty("digest", out var digest) || digest.ValueKind != JsonValueKind.Object || !digest.EnumerateObject().Any())
            return Result<Subject>.Fail(ErrorCodes.EnvelopeMalformed, $"{path}.digest: must be an object with at least one digest");
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in digest.EnumerateObject())
        {
            var value = d.Value.ValueKind == JsonValueKind.String ? d.Value.GetString()! : "";
            if (value.Length == 0 || !value.All(char.IsAsciiHexDigitLower))
                return Result<Subject>.Fail(ErrorCodes.EnvelopeMalformed, $"{path}.digest.{d.Name}: must be lowercase hex");
            digests[d.Name] = value;
        }
        return Result<Subject>.Ok(new Subject(name, digests));
    }

    private static Result<InTotoStatement> Fail(string path, string message) =>
        Result<InTotoStatement>.Fail(ErrorCodes.EnvelopeMalformed, $"{path}: {message}");
}
