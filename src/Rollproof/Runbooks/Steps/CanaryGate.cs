using System.Globalization;
using Rollproof.Common;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// The gate a canary checks at each traffic step, none of which passes for want of evidence:
/// <list type="bullet">
/// <item>error rate: at least <c>minResponses</c> responses from the target (default 20), counted by the router during
/// the dwell, the shortfall made up by the canary's own requests to <c>probe</c> (a URL of the target itself, bypassing
/// the router) when one is given; of these, the share of 5xx (or, for probes, no answer) must not exceed
/// <c>maxErrorRate</c>. Too few responses fail the gate, saying how many were seen and needed;</item>
/// <item><c>url</c>, if given, must answer 2xx;</item>
/// <item>the environment's verify checks: the runbook's <c>verify</c> steps (or those <c>checks</c> names), each run
/// once.</item>
/// </list>
/// </summary>
internal sealed class CanaryGate
{
    public const int DefaultMinResponses = 20;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly string? _url;
    private readonly Uri? _probe;
    private readonly int _minResponses;
    private readonly double _maxErrorRate;
    private readonly IReadOnlyList<RunbookStep> _checks;

    private CanaryGate(string? url, Uri? probe, int minResponses, double maxErrorRate, IReadOnlyList<RunbookStep> checks) =>
        (_url, _probe, _minResponses, _maxErrorRate, _checks) = (url, probe, minResponses, maxErrorRate, checks);

    /// <summary>The verify steps the gate runs, by id, for the evidence.</summary>
    public string Checks => _checks.Count == 0 ? "none (the runbook has no verify step)" : string.Join(",", _checks.Select(c => c.Id));

    public static Result<CanaryGate> From(IReadOnlyDictionary<string, string> parameters, StepContext context)
    {
        static Result<CanaryGate> Fail(string message) => Result<CanaryGate>.Fail(ErrorCodes.StepFailed, message);
        if (!double.TryParse(parameters.GetValueOrDefault("maxErrorRate", "0.01"), NumberStyles.Float, CultureInfo.InvariantCulture, out var maxErrorRate) || maxErrorRate is < 0 or > 1)
            return Fail($"maxErrorRate '{parameters["maxErrorRate"]}' is not a number from 0 to 1");
        if (!int.TryParse(parameters.GetValueOrDefault("minResponses", DefaultMinResponses.ToString(CultureInfo.InvariantCulture)), NumberStyles.None, CultureInfo.InvariantCulture, out var minResponses) || minResponses is < 1 or > 100_000)
            return Fail($"minResponses '{parameters["minResponses"]}' is not a whole number from 1 to 100000");
        Uri? probe = null;
        if (parameters.TryGetValue("probe", out var p) && (!Uri.TryCreate(Templates.Apply(p, context.Values), UriKind.Absolute, out probe) || probe.Scheme is not ("http" or "https")))
            return Fail($"probe '{p}' is not an http(s) URL");
        var verifySteps = context.RunbookSteps.Where(s => s.Uses == "verify").ToList();
        var checks = verifySteps;
        if (parameters.TryGetValue("checks", out var named))
        {
            var ids = named.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (ids.FirstOrDefault(id => verifySteps.All(s => s.Id != id)) is { } unknown)
                return Fail($"checks names '{unknown}', which is not a verify step of this runbook");
            checks = [.. verifySteps.Where(s => ids.Contains(s.Id))];
        }
        var url = parameters.TryGetValue("url", out var u) ? Templates.Apply(u, context.Values) : null;
        return Result<CanaryGate>.Ok(new CanaryGate(url, probe, minResponses, maxErrorRate, checks));
    }

    /// <summary>Null when the gate passes; otherwise why not. <paramref name="seen"/> is what the router counted during the dwell (null: it counts nothing).</summary>
    public async Task<(string? Failure, string Observed)> CheckAsync((long Responses, long Errors)? seen, StepContext context, CancellationToken cancellation)
    {
        var (responses, errors) = seen ?? (0, 0);
        var probes = 0L;
        if (responses < _minResponses && _probe is not null)
        {
            probes = _minResponses - responses;
            for (var i = 0; i < probes; i++)
                errors += await ProbeFailsAsync(_probe, cancellation) ? 1 : 0;
            responses += probes;
        }
        var observed = $"{responses} responses ({probes} probes), {errors} errors";
        if (responses < _minResponses)
            return ($"the target gave {responses} responses during the dwell{(seen is null ? " (this router counts none)" : "")}, and the error-rate gate needs at least {_minResponses} (minResponses): give a 'probe' URL of the target, a longer dwell, or traffic", observed);
        if ((double)errors / responses > _maxErrorRate)
            return ($"{errors} of {responses} responses from the target were 5xx{(probes > 0 ? $" (or probes unanswered; {probes} were probes)" : "")}, more than {_maxErrorRate:P1}", observed);
        if (_url is not null && await UrlFailureAsync(_url, cancellation) is { } down)
            return (down, observed);
        foreach (var check in _checks)
        {
            var ran = await new VerifyStep().RunAsync(new Dictionary<string, string>(check.With) { ["attempts"] = "1" }, context, cancellation);
            if (!ran.Succeeded)
                return ($"verify check '{check.Id}' failed: {ran.Message}", observed);
        }
        return (null, observed);
    }

    private static async Task<bool> ProbeFailsAsync(Uri probe, CancellationToken cancellation)
    {
        try
        {
            using var response = await Http.GetAsync(probe, HttpCompletionOption.ResponseHeadersRead, cancellation);
            return (int)response.StatusCode >= 500;
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellation.IsCancellationRequested))
        {
            return true;
        }
    }

    private static async Task<string?> UrlFailureAsync(string url, CancellationToken cancellation)
    {
        try
        {
            using var response = await Http.GetAsync(url, cancellation);
            return response.IsSuccessStatusCode ? null : $"{url} answered {(int)response.StatusCode}";
        }
        catch (HttpRequestException e)
        {
            return $"{url} could not be reached: {e.Message}";
        }
    }
}
