using System.Collections.Concurrent;
using Rollproof.Runbooks;
using Rollproof.Runbooks.Steps;
using Rollproof.Testing;

namespace Rollproof.Tests.Runbooks;

/// <summary>Quarantined requests are replayed with their idempotency keys, each exactly once across failures and re-runs.</summary>
public sealed class ReplayStepTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ConcurrentQueue<string> _received = new();
    private readonly LoopbackHttp _service;
    private volatile bool _refuseK2 = true;

    public ReplayStepTests() => _service = new LoopbackHttp(call =>
    {
        var key = call.Request.Headers["Idempotency-Key"] ?? "(none)";
        var refuse = key == "k2" && _refuseK2;
        if (!refuse)
            _received.Enqueue($"{call.Request.HttpMethod} {call.Request.Url!.AbsolutePath} {key}");
        call.Response.StatusCode = refuse ? 503 : 200;
        return Task.CompletedTask;
    });

    private int Port => _service.Port;

    public void Dispose()
    {
        _service.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Each_quarantined_request_reaches_the_service_once_with_its_key()
    {
        File.WriteAllText(_dir.Combine("quarantine.jsonl"), """
            {"key":"k1","method":"POST","path":"/sign","body":"{\"doc\":1}"}
            {"key":"k2","method":"POST","path":"/sign","body":"{\"doc\":2}"}
            {"key":"k1","method":"POST","path":"/sign","body":"{\"doc\":1}"}
            {"key":"k3","method":"DELETE","path":"/drafts/7"}
            """);
        var step = new ReplayStep();
        var with = new Dictionary<string, string> { ["quarantine"] = _dir.Combine("quarantine.jsonl"), ["url"] = $"http://127.0.0.1:{Port}/" };
        var context = new StepContext(new Dictionary<string, string>(), _dir.Path, TimeProvider.System);

        var first = await step.RunAsync(with, context, CancellationToken.None);
        _refuseK2 = false;
        var second = await step.RunAsync(with, context, CancellationToken.None);
        var third = await step.RunAsync(with, context, CancellationToken.None);

        Assert.False(first.Succeeded);
        Assert.Equal(("2", "1", "1"), (first.Evidence["count:replayed"], first.Evidence["count:skipped"], first.Evidence["count:failed"]));
        Assert.True(second.Succeeded);
        Assert.Equal(("3", "1", "0"), (second.Evidence["count:replayed"], second.Evidence["count:skipped"], second.Evidence["count:failed"]));
        Assert.Equal(("3", "1"), (third.Evidence["count:replayed"], third.Evidence["count:skipped"]));
        Assert.Contains("3 by an earlier run", third.Message, StringComparison.Ordinal);
        Assert.Equal(["POST /sign k1", "DELETE /drafts/7 k3", "POST /sign k2"], _received.ToArray());
    }

    [Fact]
    public async Task A_malformed_quarantine_line_is_refused_naming_the_line()
    {
        File.WriteAllText(_dir.Combine("quarantine.jsonl"), "{\"key\":\"k1\",\"method\":\"POST\",\"path\":\"/sign\"}\n{\"method\":\"POST\"\n");

        var outcome = await new ReplayStep().RunAsync(
            new Dictionary<string, string> { ["quarantine"] = _dir.Combine("quarantine.jsonl"), ["url"] = $"http://127.0.0.1:{Port}/" },
            new StepContext(new Dictionary<string, string>(), _dir.Path, TimeProvider.System), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Contains("line 2", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_received);
    }
}
