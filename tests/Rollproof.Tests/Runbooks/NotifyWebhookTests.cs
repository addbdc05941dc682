using System.Collections.Concurrent;
using System.Text.Json;
using Rollproof.Runbooks;
using Rollproof.Runbooks.Steps;
using Rollproof.Testing;

namespace Rollproof.Tests.Runbooks;

/// <summary>
/// A notify step's webhook body is one Slack and Teams accept (a <c>text</c> field), or the structured JSON form when
/// asked, and is sent with a Content-Length, never chunked: checked against a real HTTP listener.
/// </summary>
public sealed class NotifyWebhookTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ConcurrentQueue<(string? ContentType, long Length, string? TransferEncoding, string Body)> _received = new();
    private readonly LoopbackHttp _hook;

    public NotifyWebhookTests() => _hook = new LoopbackHttp(async call =>
    {
        using var reader = new StreamReader(call.Request.InputStream);
        var body = await reader.ReadToEndAsync();
        _received.Enqueue((call.Request.ContentType, call.Request.ContentLength64, call.Request.Headers["Transfer-Encoding"], body));
    });

    public void Dispose()
    {
        _hook.Dispose();
        _dir.Dispose();
    }

    private async Task<(StepOutcome Outcome, JsonElement Body)> Notify(string? format)
    {
        var parameters = new Dictionary<string, string> { ["phase"] = "internal", ["message"] = "rolled {{app}} back to {{target.version}}", ["webhook"] = $"http://127.0.0.1:{_hook.Port}/services/T0" };
        if (format is not null)
            parameters["format"] = format;
        var values = new Dictionary<string, string> { ["app"] = "shop", ["environment"] = "prod", ["request"] = "42", ["target.version"] = "1.4.2" };
        var outcome = await new NotifyStep().RunAsync(parameters, new StepContext(values, _dir.Path, TimeProvider.System), CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Message);
        var received = Assert.Single(_received);
        Assert.Null(received.TransferEncoding);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(received.Body), received.Length);
        Assert.Equal("application/json; charset=utf-8", received.ContentType);
        return (outcome, JsonDocument.Parse(received.Body).RootElement.Clone());
    }

    [Fact]
    public async Task By_default_the_body_is_a_text_field_Slack_and_Teams_accept_sent_with_a_content_length()
    {
        var (_, body) = await Notify(null);

        Assert.Equal("""{"text":"[internal] rolled shop back to 1.4.2"}""", body.GetRawText());
    }

    [Fact]
    public async Task The_teams_format_is_a_message_card_with_its_text()
    {
        var (_, body) = await Notify("teams");

        Assert.Equal("MessageCard", body.GetProperty("@type").GetString());
        Assert.Equal("[internal] rolled shop back to 1.4.2", body.GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_json_format_carries_the_structured_fields_beside_the_text()
    {
        var (_, body) = await Notify("json");

        Assert.Equal("[internal] rolled shop back to 1.4.2", body.GetProperty("text").GetString());
        Assert.Equal("internal", body.GetProperty("phase").GetString());
        Assert.Equal("rolled shop back to 1.4.2", body.GetProperty("message").GetString());
        Assert.Equal("shop", body.GetProperty("app").GetString());
        Assert.Equal("prod", body.GetProperty("environment").GetString());
        Assert.Equal("42", body.GetProperty("request").GetString());
    }

    [Fact]
    public async Task An_unknown_format_fails_the_step_naming_it_and_sends_nothing()
    {
        var parameters = new Dictionary<string, string> { ["phase"] = "internal", ["message"] = "hello", ["webhook"] = $"http://127.0.0.1:{_hook.Port}/", ["format"] = "discord" };

        var outcome = await new NotifyStep().RunAsync(parameters, new StepContext(new Dictionary<string, string>(), _dir.Path, TimeProvider.System), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Contains("format: 'discord' is not slack, teams or json", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_received);
    }
}
