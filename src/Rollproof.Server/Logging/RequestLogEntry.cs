using System.Text.Json;

namespace Rollproof.Server.Logging;

/// <summary>
/// One request as the request log records it. Only what cannot carry a secret: never a header (Authorization least
/// of all), never a body, and of the query string only how many parameters it had: a token pasted into a URL may sit
/// in a value or stand alone as a name.
/// </summary>
public sealed record RequestLogEntry(
    DateTimeOffset Time, string Method, string Path, int QueryParameters, int Status, TimeSpan Duration, string? Actor, string? Remote)
{
    /// <summary>Longest path recorded; a longer one is cut and ends in <c>…</c>, so one request cannot flood the log.</summary>
    public const int MaxPathLength = 512;

    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("time", Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("method", Method);
        json.WriteString("path", Path.Length <= MaxPathLength ? Path : Path[..MaxPathLength] + "…");
        if (QueryParameters > 0)
            json.WriteNumber("queryParameters", QueryParameters);
        json.WriteNumber("status", Status);
        json.WriteNumber("durationMs", Math.Round(Duration.TotalMilliseconds, 3));
        if (Actor is not null)
            json.WriteString("actor", Actor);
        if (Remote is not null)
            json.WriteString("remote", Remote);
        json.WriteEndObject();
    }
}
