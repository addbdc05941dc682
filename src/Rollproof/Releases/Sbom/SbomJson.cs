using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;

namespace Rollproof.Releases.Sbom;

/// <summary>Reads an SBOM's bytes as JSON, in either format: bounded in size, and with no member given twice.</summary>
internal static class SbomJson
{
    public const int MaxSize = 64 << 20;

    // A member given twice is read differently by different parsers, so a signed SBOM must not have one.
    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false };

    public static Result<JsonDocument> Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxSize)
            return Fail($"$: the SBOM is {json.Length} bytes, more than the {MaxSize}-byte limit");
        try
        {
            return Result<JsonDocument>.Ok(TextJson.Parse(json.ToArray(), Options));
        }
        catch (JsonException e)
        {
            return Fail($"$: not valid JSON: {e.Message}");
        }
    }

    private static Result<JsonDocument> Fail(string message) => Result<JsonDocument>.Fail(ErrorCodes.SbomInvalid, message);
}
