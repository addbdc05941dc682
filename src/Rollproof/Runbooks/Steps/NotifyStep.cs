using System.Net.Http.Json;
using System.Text;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// <c>uses: notify</c>: sends one phase's message (<c>phase</c>: internal, customers, regulators, …) built from the
/// <c>message</c> template, as an HTTP POST of JSON to <c>webhook</c>, or appended to <c>file</c>. The text sent is
/// the evidence, so what each audience was told is on record with its digest.
/// </summary>
public sealed class NotifyStep : IRunbookStep
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string Uses => "notify";

    public string Describe(IReadOnlyDictionary<string, string> parameters, StepContext context) =>
        $"tell {parameters.GetValueOrDefault("phase", "internal")} via {(parameters.TryGetValue("webhook", out var hook) ? "POST " + hook : "file " + parameters.GetValueOrDefault("file", "?"))}: \"{Templates.Apply(parameters.GetValueOrDefault("message", ""), context.Values)}\"";

    public async Task<StepOutcome> RunAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, CancellationToken cancellation)
    {
        if (!parameters.TryGetValue("message", out var template))
            return StepOutcome.Failed("a notify step needs a 'message'");
        if (Templates.Unknown(template, context.Values) is [_, ..] unknown)
            return StepOutcome.Failed($"'message' uses values no rollback has: {string.Join(", ", unknown)}");
        var phase = parameters.GetValueOrDefault("phase", "internal");
        var message = Templates.Apply(template, context.Values);
        var evidence = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["phase"] = phase, ["message"] = message, ["sha256"] = Storage.Sha256Digest.Of(Encoding.UTF8.GetBytes(message)).ToString(),
        };
        if (parameters.TryGetValue("webhook", out var webhook))
        {
            if (!Uri.TryCreate(Templates.Apply(webhook, context.Values), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                return StepOutcome.Failed($"webhook '{webhook}' is not an http(s) URL");
            try
            {
                using var response = await Http.PostAsJsonAsync(url, new { phase, message, app = context.Values.GetValueOrDefault("app"), environment = context.Values.GetValueOrDefault("environment"), request = context.Values.GetValueOrDefault("request") }, cancellation);
                evidence["webhook"] = url.ToString();
                evidence["status"] = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return response.IsSuccessStatusCode ? StepOutcome.Done($"told {phase} via {url}", evidence) : StepOutcome.Failed($"{url} answered {(int)response.StatusCode}", evidence);
            }
            catch (HttpRequestException e)
            {
                return StepOutcome.Failed($"{url} could not be reached: {e.Message}", evidence);
            }
        }
        if (!parameters.TryGetValue("file", out var file))
            return StepOutcome.Failed("a notify step needs a 'webhook' or a 'file'");
        var path = Templates.Apply(file, context.Values);
        await File.AppendAllTextAsync(path, $"[{phase}] {message}\n", cancellation);
        evidence["file"] = path;
        return StepOutcome.Done($"told {phase} in {path}", evidence);
    }
}
