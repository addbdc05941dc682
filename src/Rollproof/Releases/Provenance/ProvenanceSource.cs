using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;

namespace Rollproof.Releases.Provenance;

/// <summary>
/// What <c>--provenance FILE</c> holds, told apart by the document itself: an SLSA Provenance v1 in-toto Statement,
/// a DSSE envelope of one (as in-toto tooling writes it), a Sigstore bundle carrying such an envelope (as GitHub's
/// artifact attestations are downloaded), or the build facts alone in Rollproof's earlier JSON
/// (<see cref="BuildProvenance"/>), from which Rollproof writes the SLSA statement itself.
/// </summary>
public sealed record ProvenanceSource(string File, byte[] Bytes, string? MediaType, InTotoStatement? Statement, BuildProvenance? Facts)
{
    public const int MaxSize = 1 << 20;

    public const string StatementMediaType = "application/vnd.in-toto+json";
    public const string EnvelopeMediaType = "application/vnd.dsse.envelope.v1+json";

    private static readonly JsonSerializerOptions FactsJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true };

    public static Result<ProvenanceSource> Read(byte[] bytes, string file)
    {
        JsonElement root;
        try
        {
            using var document = TextJson.Parse(bytes, new JsonDocumentOptions { AllowDuplicateProperties = false });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return Fail(file, $"$: not valid JSON: {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object)
            return Fail(file, "$: must be a JSON object");
        if (root.TryGetProperty("_type", out _))
            return Attested(file, bytes, StatementMediaType, InTotoStatement.Parse(bytes));
        if (root.TryGetProperty("payloadType", out _))
            return Envelope(file, bytes, EnvelopeMediaType, bytes);
        if (root.TryGetProperty("dsseEnvelope", out var inBundle) && Text(root, "mediaType") is { } bundleType && bundleType.StartsWith("application/vnd.dev.sigstore.bundle", StringComparison.Ordinal))
            return Envelope(file, bytes, bundleType, JsonSerializer.SerializeToUtf8Bytes(inBundle));
        try
        {
            var facts = root.Deserialize<BuildProvenance>(FactsJson);
            return facts is null ? Fail(file, "$: is null") : Result<ProvenanceSource>.Ok(new ProvenanceSource(file, bytes, null, null, facts));
        }
        catch (JsonException e)
        {
            return Fail(file, $"neither an in-toto statement, a DSSE envelope, a Sigstore bundle nor build facts: {e.Path}: {e.Message}");
        }
    }

    private static Result<ProvenanceSource> Envelope(string file, byte[] bytes, string mediaType, byte[] envelopeJson)
    {
        var envelope = DsseEnvelope.Parse(envelopeJson);
        return envelope.IsOk
            ? Attested(file, bytes, mediaType, InTotoStatement.FromEnvelope(envelope.Value))
            : Fail(file, $"DSSE envelope: {envelope.Problem.Message}");
    }

    private static Result<ProvenanceSource> Attested(string file, byte[] bytes, string mediaType, Result<InTotoStatement> statement)
    {
        if (!statement.IsOk)
            return Fail(file, statement.Problem.Message);
        var problem = SlsaProvenance.Check(statement.Value);
        return problem is null
            ? Result<ProvenanceSource>.Ok(new ProvenanceSource(file, bytes, mediaType, statement.Value, null))
            : Fail(file, problem);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Result<ProvenanceSource> Fail(string file, string message) =>
        Result<ProvenanceSource>.Fail(ErrorCodes.ProvenanceInvalid, $"provenance file '{file}': {message}");
}
