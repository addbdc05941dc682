using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Transparency;

namespace Rollproof.Sigstore.Rekor;

/// <summary>
/// Reads the body of <c>POST /api/v1/log/entries</c>, a Rekor v1 proposed entry
/// (<c>{"apiVersion", "kind", "spec"}</c>), checks it by its kind and version, and gives the canonical body to log.
/// Only <c>hashedrekord</c> and <c>dsse</c> 0.0.1 are accepted; every problem names the field at fault.
/// </summary>
public static class RekorProposedEntry
{
    /// <summary>A proposed entry's size limit: a DSSE envelope travels whole in it, though only its hashes are logged.</summary>
    public const int MaxSize = 1 << 20;

    private const int MaxDepth = 16;

    public static Result<RekorEntry> Check(ReadOnlyMemory<byte> request)
    {
        if (request.Length > MaxSize)
            return Result<RekorEntry>.Fail(ErrorCodes.InputTooLarge, $"the proposed entry is {request.Length} bytes, more than the {MaxSize}-byte limit");
        try
        {
            using var document = TextJson.Parse(request, new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false });
            var top = JsonFields.Of(document.RootElement, "", "apiVersion", "kind", "spec");
            if (!top.IsOk)
                return RekorField.Malformed("(the proposed entry)", "must be a JSON object with apiVersion, kind and spec");
            var kind = top.Value.String("kind");
            var version = top.Value.String("apiVersion");
            if (!kind.IsOk || !version.IsOk)
                return kind.IsOk ? version.Problem! : kind.Problem!;
            var spec = document.RootElement.TryGetProperty("spec", out var value) ? value : default;
            var checkedEntry = (kind.Value, version.Value) switch
            {
                (HashedRekordV001.Kind, HashedRekordV001.ApiVersion) => HashedRekordV001.Check(spec),
                (RekorDsseEntry.Kind, RekorDsseEntry.ApiVersion) => DsseV001.Check(spec),
                (HashedRekordV001.Kind or RekorDsseEntry.Kind, _) => RekorField.Malformed("apiVersion", $"'{version.Value}' is not supported for {kind.Value}: only {HashedRekordV001.ApiVersion}"),
                _ => RekorField.Malformed("kind", $"'{kind.Value}' is not supported: only {HashedRekordV001.Kind} and {RekorDsseEntry.Kind}"),
            };
            if (checkedEntry.IsOk && checkedEntry.Value.Body.Length > EntryBundle.MaxEntrySize)
                return Result<RekorEntry>.Fail(ErrorCodes.InputTooLarge, $"the entry's logged body would be {checkedEntry.Value.Body.Length} bytes, more than a log entry's {EntryBundle.MaxEntrySize}");
            return checkedEntry;
        }
        catch (JsonException e)
        {
            return RekorField.Malformed("(the proposed entry)", $"not valid JSON: {e.Message}");
        }
    }
}
