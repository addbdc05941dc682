using System.Text.Json;
using System.Text.Unicode;

namespace Rollproof.Formats;

/// <summary>
/// Parses outside JSON into a document whose every string is text. <see cref="JsonDocument"/> checks strings only when
/// they are read, so invalid UTF-8 or an escaped lone surrogate (<c>"\ud800"</c>) would throw
/// <see cref="InvalidOperationException"/> deep inside a reader, far from its error handling; here they are a
/// <see cref="JsonException"/>, which every reader already turns into a problem.
/// </summary>
public static class TextJson
{
    public static JsonDocument Parse(ReadOnlyMemory<byte> json, JsonDocumentOptions options = default)
    {
        if (!Utf8.IsValid(json.Span))
            throw new JsonException("the JSON is not valid UTF-8");
        // Before the document: its check for duplicate names unescapes names, and throws on a lone surrogate too.
        var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { MaxDepth = options.MaxDepth, AllowTrailingCommas = options.AllowTrailingCommas, CommentHandling = options.CommentHandling });
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped)
                continue;
            try
            {
                reader.GetString();
            }
            catch (InvalidOperationException e)
            {
                throw new JsonException($"the string at byte {reader.TokenStartIndex} is not text: {e.Message}");
            }
        }
        return JsonDocument.Parse(json, options);
    }
}
