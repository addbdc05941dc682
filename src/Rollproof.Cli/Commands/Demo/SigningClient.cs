using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Rollproof.Cli.Commands.Demo;

/// <summary>
/// The demo's customers: a steady stream of signing requests through the router, each with an idempotency key. A
/// request answered 503 (paused for the rollback) is retried once, and each refused attempt is written to the
/// quarantine (JSON lines the <c>replay</c> step reads), so a refused retry shows up there as a repeated key. Counts
/// which release answered.
/// </summary>
internal sealed class SigningClient(int routerPort, string quarantine) : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _answers = new(StringComparer.Ordinal);
    private readonly Lock _quarantineLock = new();
    private Task? _loop;
    private int _next;

    /// <summary>How many requests each release answered, and how many were refused ("503").</summary>
    public IReadOnlyDictionary<string, int> Answers => _answers;

    public int Quarantined { get; private set; }

    public void Start() => _loop = Task.Run(async () =>
    {
        while (!_stop.IsCancellationRequested)
        {
            await SignAsync();
            try
            {
                await Task.Delay(20, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    });

    /// <summary>Stops sending and waits for the request under way; stopping again does nothing.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
            await _loop;
    }

    public void Dispose() => _stop.Dispose();

    private async Task SignAsync()
    {
        var key = $"doc-{Interlocked.Increment(ref _next):D5}";
        var document = $"{{\"contract\":\"{key}\",\"amount\":{_next * 10}}}";
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var status = await SendAsync(key, document);
            if (status != HttpStatusCode.ServiceUnavailable)
                return;
            lock (_quarantineLock)
            {
                File.AppendAllText(quarantine, JsonSerializer.Serialize(new { key, method = "POST", path = "/sign", body = document }) + "\n");
                Quarantined++;
            }
        }
    }

    private async Task<HttpStatusCode?> SendAsync(string key, string document)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{routerPort}/sign") { Content = new StringContent(document, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        request.Headers.ConnectionClose = true; // a new connection each time, so the router balances every request
        try
        {
            using var response = await Http.SendAsync(request);
            var who = response.StatusCode == HttpStatusCode.ServiceUnavailable ? "503"
                : response.Headers.TryGetValues("X-Docsign-Version", out var versions) ? versions.First() : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _answers.AddOrUpdate(who, 1, (_, n) => n + 1);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            _answers.AddOrUpdate("unreachable", 1, (_, n) => n + 1);
            return null;
        }
        catch (TaskCanceledException)
        {
            _answers.AddOrUpdate("timeout", 1, (_, n) => n + 1);
            return null;
        }
    }
}
