using System.Globalization;
using Rollproof.Common;
using Rollproof.Traffic;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// <c>uses: canary</c>: shifts traffic in haproxy's <c>backend</c> from server <c>from</c> (the release being rolled
/// back) to server <c>to</c> (the target) in <c>steps</c> percent (default 1,10,50,100), weights summing to 100, with a
/// <c>dwell</c> (default 10s) and a gate at each step: <c>url</c>, if given, must answer 2xx, and the share of 5xx
/// among the target's responses during the dwell must not exceed <c>maxErrorRate</c> (default 0.01). A failing gate
/// returns the weights to the last safe step and fails, saying why. The weights change over the admin socket, without
/// a reload; a step run again after a crash starts from the first percentage.
/// </summary>
public sealed class CanaryStep : IRunbookStep
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public string Uses => "canary";

    public string Describe(IReadOnlyDictionary<string, string> parameters, StepContext context) =>
        $"shift {parameters.GetValueOrDefault("backend", "?")} from {parameters.GetValueOrDefault("from", "?")} to {parameters.GetValueOrDefault("to", "?")} at {parameters.GetValueOrDefault("steps", "1,10,50,100")}% with {parameters.GetValueOrDefault("dwell", "10s")} dwell and gates";

    public async Task<StepOutcome> RunAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, CancellationToken cancellation)
    {
        if (!parameters.TryGetValue("socket", out var socket) || !parameters.TryGetValue("backend", out var backend) || !parameters.TryGetValue("from", out var from) || !parameters.TryGetValue("to", out var to))
            return StepOutcome.Failed("a canary needs haproxy's admin 'socket', the 'backend', and the servers 'from' and 'to'");
        var percentages = parameters.GetValueOrDefault("steps", "1,10,50,100").Split(',', StringSplitOptions.TrimEntries).Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToList();
        if (percentages.Count == 0 || percentages.Any(p => p is < 0 or > 100) || percentages.Zip(percentages.Skip(1)).Any(pair => pair.First >= pair.Second))
            return StepOutcome.Failed("'steps' must be rising percentages from 0 to 100, e.g. 1,10,50,100");
        var dwellText = parameters.GetValueOrDefault("dwell", "10s");
        if ((dwellText == "0s" ? TimeSpan.Zero : Durations.Parse(dwellText)) is not { } dwell)
            return StepOutcome.Failed($"dwell '{dwellText}' is not a duration ({Durations.Rule}, or 0s)");
        if (!double.TryParse(parameters.GetValueOrDefault("maxErrorRate", "0.01"), NumberStyles.Float, CultureInfo.InvariantCulture, out var maxErrorRate))
            return StepOutcome.Failed($"maxErrorRate '{parameters["maxErrorRate"]}' is not a number");
        var url = parameters.TryGetValue("url", out var u) ? Templates.Apply(u, context.Values) : null;
        var admin = new HaproxyAdmin(Templates.Apply(socket, context.Values));

        var evidence = new Dictionary<string, string>(StringComparer.Ordinal) { ["backend"] = backend, ["from"] = from, ["to"] = to };
        var safe = 0;
        foreach (var percent in percentages)
        {
            if (await ShiftAsync(admin, backend, from, to, percent, cancellation) is { } refused)
                return StepOutcome.Failed(refused.Message, evidence);
            var before = await TargetCountersAsync(admin, backend, to, cancellation);
            await Task.Delay(dwell, cancellation);
            var after = await TargetCountersAsync(admin, backend, to, cancellation);
            var gate = await GateAsync(url, before, after, maxErrorRate, cancellation);
            evidence[$"step:{percent}"] = gate ?? "passed";
            if (gate is not null)
            {
                await ShiftAsync(admin, backend, from, to, safe, cancellation);
                return StepOutcome.Failed($"the gate at {percent}% failed ({gate}); traffic is back at {safe}% on {to}", evidence);
            }
            safe = percent;
        }
        return StepOutcome.Done($"{backend} shifted to {to} at {string.Join(", ", percentages)}%, every gate passed", evidence);
    }

    private static async Task<Problem?> ShiftAsync(HaproxyAdmin admin, string backend, string from, string to, int percent, CancellationToken cancellation) =>
        await admin.SetStateAsync(backend, to, "ready", cancellation)
        ?? await admin.SetWeightAsync(backend, to, percent, cancellation)
        ?? await admin.SetWeightAsync(backend, from, 100 - percent, cancellation);

    private static async Task<(long Responses, long Errors)?> TargetCountersAsync(HaproxyAdmin admin, string backend, string to, CancellationToken cancellation)
    {
        var stats = await admin.StatsAsync(backend, cancellation);
        return stats.IsOk && stats.Value.FirstOrDefault(s => s.Server == to) is { } server ? (server.Responses, server.ServerErrors) : null;
    }

    // Null when the gate passes; otherwise why it did not.
    private static async Task<string?> GateAsync(string? url, (long Responses, long Errors)? before, (long Responses, long Errors)? after, double maxErrorRate, CancellationToken cancellation)
    {
        if (before is null || after is null)
            return "the router's counters could not be read";
        var responses = after.Value.Responses - before.Value.Responses;
        var errors = after.Value.Errors - before.Value.Errors;
        if (responses > 0 && (double)errors / responses > maxErrorRate)
            return $"{errors} of {responses} responses from the target were 5xx, more than {maxErrorRate:P1}";
        if (url is null)
            return null;
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
