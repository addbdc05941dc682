using System.Globalization;
using System.Text;
using System.Text.Json;
using Rollproof.Common;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// <c>uses: replay</c>: sends the requests quarantined during the incident to the restored release. <c>quarantine</c>
/// is a file of JSON lines <c>{"key","method","path","body"}</c>; each is sent to <c>url</c> + path with an
/// <c>Idempotency-Key</c> header, so the service can recognise a repeat. Keys already replayed (recorded in the
/// execution's <c>replayed.keys</c>, fsynced after each request) and repeated keys in the quarantine are skipped, not
/// sent twice, even when the step runs again after a crash. The evidence counts the quarantine's distinct keys replayed
/// (by this run or an earlier one) and failed, and its repeated entries skipped; any failed request fails the step,
/// and running it again retries only those.
/// </summary>
public sealed class ReplayStep : IRunbookStep
{
    private const long MaxQuarantine = 64 << 20;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string Uses => "replay";

    public string Describe(IReadOnlyDictionary<string, string> parameters, StepContext context) =>
        $"replay {Templates.Apply(parameters.GetValueOrDefault("quarantine", "?"), context.Values)} against {Templates.Apply(parameters.GetValueOrDefault("url", "?"), context.Values)} with idempotency keys";

    public async Task<StepOutcome> RunAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, CancellationToken cancellation)
    {
        var quarantine = Templates.Apply(parameters.GetValueOrDefault("quarantine", ""), context.Values);
        if (!File.Exists(quarantine))
            return StepOutcome.Failed($"quarantine '{quarantine}' does not exist");
        if (new FileInfo(quarantine).Length > MaxQuarantine)
            return StepOutcome.Failed($"quarantine '{quarantine}' is larger than {MaxQuarantine} bytes");
        if (!Uri.TryCreate(Templates.Apply(parameters.GetValueOrDefault("url", ""), context.Values), UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
            return StepOutcome.Failed("a replay step needs the restored release's http(s) 'url'");
        var done = Path.Combine(context.WorkDirectory, "replayed.keys");
        var replayed = File.Exists(done) ? File.ReadAllLines(done).ToHashSet(StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal);
        // The whole quarantine is read before anything is sent: a malformed line changes nothing.
        var requests = new List<QuarantinedRequest>();
        var line = 0;
        foreach (var text in await File.ReadAllLinesAsync(quarantine, cancellation))
        {
            line++;
            if (text.Length == 0)
                continue;
            QuarantinedRequest? request;
            try
            {
                request = JsonSerializer.Deserialize<QuarantinedRequest>(text, Formats.PredicateJson.Options);
            }
            catch (JsonException e)
            {
                return StepOutcome.Failed($"{quarantine} line {line}: not a quarantined request: {e.Message}");
            }
            if (request is null || string.IsNullOrEmpty(request.Key))
                return StepOutcome.Failed($"{quarantine} line {line}: a quarantined request needs a 'key'");
            requests.Add(request);
        }
        int sent = 0, earlier = 0, skipped = 0, failed = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await using var record = new FileStream(done, FileMode.Append, FileAccess.Write);
        foreach (var request in requests)
        {
            if (!seen.Add(request.Key))
            {
                skipped++;
            }
            else if (replayed.Contains(request.Key))
            {
                earlier++;
            }
            else if (await SendAsync(baseUrl, request, cancellation))
            {
                sent++;
                await record.WriteAsync(Encoding.UTF8.GetBytes(request.Key + "\n"), cancellation);
                record.Flush(flushToDisk: true);
            }
            else
            {
                failed++;
            }
        }
        // The counts describe the whole quarantine, the same whether or not a crash split the replay across runs.
        var evidence = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["count:replayed"] = (sent + earlier).ToString(CultureInfo.InvariantCulture),
            ["count:skipped"] = skipped.ToString(CultureInfo.InvariantCulture),
            ["count:failed"] = failed.ToString(CultureInfo.InvariantCulture),
        };
        var replayedText = $"replayed {sent + earlier}{(earlier > 0 ? $" ({earlier} by an earlier run of this step)" : "")}, skipped {skipped} repeated";
        return failed == 0
            ? StepOutcome.Done(replayedText, evidence)
            : StepOutcome.Failed($"{replayedText}; {failed} quarantined request(s) failed to replay: run the step again to retry only those", evidence);
    }

    private static async Task<bool> SendAsync(Uri baseUrl, QuarantinedRequest request, CancellationToken cancellation)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(baseUrl, request.Path));
        message.Headers.Add("Idempotency-Key", request.Key);
        if (request.Body is not null)
            message.Content = new StringContent(request.Body, Encoding.UTF8, "application/json");
        try
        {
            using var response = await Http.SendAsync(message, cancellation);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private sealed record QuarantinedRequest(string Key, string Method, string Path, string? Body = null);
}
