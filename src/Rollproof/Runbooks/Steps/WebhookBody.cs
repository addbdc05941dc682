using System.Text.Json;
using Rollproof.Common;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// The JSON a notify step POSTs, by its <c>format</c>: <c>slack</c> (the default) is <c>{"text": …}</c>, which Slack's
/// and Teams' incoming webhooks both accept; <c>teams</c> is a MessageCard (summary and text); <c>json</c> carries the
/// structured fields (phase, message, app, environment, request) beside <c>text</c>, for services of one's own.
/// Built as bytes so it is sent with a Content-Length: some webhook receivers refuse a chunked body.
/// </summary>
internal static class WebhookBody
{
    public const string Formats = "slack, teams or json";

    public static Result<byte[]> Build(string? format, string phase, string message, IReadOnlyDictionary<string, string> values)
    {
        var text = $"[{phase}] {message}";
        object? body = (format ?? "slack") switch
        {
            "slack" => new { text },
            "teams" => new Dictionary<string, string> { ["@type"] = "MessageCard", ["@context"] = "https://schema.org/extensions", ["summary"] = $"rollproof: {phase}", ["text"] = text },
            "json" => new { text, phase, message, app = values.GetValueOrDefault("app"), environment = values.GetValueOrDefault("environment"), request = values.GetValueOrDefault("request") },
            _ => null,
        };
        return body is null
            ? Result<byte[]>.Fail(ErrorCodes.RunbookInvalid, $"format: '{format}' is not {Formats}")
            : Result<byte[]>.Ok(JsonSerializer.SerializeToUtf8Bytes(body));
    }
}
