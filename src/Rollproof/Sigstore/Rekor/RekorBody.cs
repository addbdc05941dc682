using System.Text.Json;

namespace Rollproof.Sigstore.Rekor;

/// <summary>
/// Recognises a logged Rekor body among the log's entries (Rollproof statements are DSSE envelopes and never match):
/// a JSON object of exactly <c>apiVersion</c>, <c>kind</c> (one served here) and <c>spec</c>. Only such entries are
/// served through the Rekor API; it says nothing of whether the body was checked, which the log's append did.
/// </summary>
internal static class RekorBody
{
    public static bool Is(ReadOnlySpan<byte> entry)
    {
        try
        {
            var reader = new Utf8JsonReader(entry, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var knownKind = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (name is not ("apiVersion" or "kind" or "spec") || !seen.Add(name))
                    return false;
                reader.Read();
                if (name == "kind")
                    knownKind = reader.TokenType == JsonTokenType.String && reader.GetString() is HashedRekordV001.Kind or RekorDsseEntry.Kind;
                reader.Skip();
            }
            return seen.Count == 3 && knownKind;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
