using System.Globalization;
using Rollproof.Common;
using Rollproof.Traffic;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// <c>uses: canary</c>: shifts traffic from <c>from</c> (the release being rolled back) to <c>to</c> (the target) in
/// <c>steps</c> percent (default 1,10,50,100), with a <c>dwell</c> (default 10s) and a gate at each step
/// (<see cref="CanaryGate"/>: enough responses from the target and few enough 5xx among them, <c>url</c> answering
/// 2xx, the environment's verify checks passing). A failing gate returns the traffic to the last safe step and fails,
/// saying why. A step run again after a crash or a failure resumes at the step the target's share had reached
/// (evidence <c>resumedAt</c>), rechecking that step's gate. The router is haproxy (<c>socket</c>, <c>backend</c>,
/// servers by name; weights over the admin socket, no reload) unless <c>router: nginx</c> (<c>config</c>,
/// <c>upstream-file</c>, <c>upstream</c>, servers as host:port; rewrite and graceful reload).
/// </summary>
public sealed class CanaryStep : IRunbookStep
{
    public string Uses => "canary";

    public string Describe(IReadOnlyDictionary<string, string> parameters, StepContext context) =>
        $"shift traffic ({parameters.GetValueOrDefault("router", "haproxy")}) from {parameters.GetValueOrDefault("from", "?")} to {parameters.GetValueOrDefault("to", "?")} at {parameters.GetValueOrDefault("steps", "1,10,50,100")}% with {parameters.GetValueOrDefault("dwell", "10s")} dwell and gates (at least {parameters.GetValueOrDefault("minResponses", CanaryGate.DefaultMinResponses.ToString(CultureInfo.InvariantCulture))} responses{(parameters.TryGetValue("probe", out var probe) ? $", probing {Templates.Apply(probe, context.Values)}" : "")}, the runbook's verify checks)";

    public async Task<StepOutcome> RunAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, CancellationToken cancellation)
    {
        if (!parameters.TryGetValue("from", out var from) || !parameters.TryGetValue("to", out var to))
            return StepOutcome.Failed("a canary needs the servers 'from' (the current release) and 'to' (the target)");
        if (parameters.GetValueOrDefault("router", "haproxy") is not ("haproxy" or "nginx"))
            return StepOutcome.Failed($"router '{parameters["router"]}' is neither haproxy nor nginx");
        var router = Router(parameters, context, from, to);
        if (router is null)
            return StepOutcome.Failed("a canary needs haproxy's admin 'socket' and 'backend', or 'router: nginx' with 'config', 'upstream-file' and 'upstream'");
        var percentages = parameters.GetValueOrDefault("steps", "1,10,50,100").Split(',', StringSplitOptions.TrimEntries).Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToList();
        if (percentages.Count == 0 || percentages.Any(p => p is < 0 or > 100) || percentages.Zip(percentages.Skip(1)).Any(pair => pair.First >= pair.Second))
            return StepOutcome.Failed("'steps' must be rising percentages from 0 to 100, e.g. 1,10,50,100");
        var dwellParsed = StepParameters.Duration(parameters, "dwell", TimeSpan.FromSeconds(10));
        if (!dwellParsed.IsOk)
            return StepOutcome.Failed(dwellParsed.Problem.Message);
        var dwell = dwellParsed.Value;
        var gate = CanaryGate.From(parameters, context);
        if (!gate.IsOk)
            return StepOutcome.Failed(gate.Problem.Message);

        var evidence = new Dictionary<string, string>(StringComparer.Ordinal) { ["router"] = parameters.GetValueOrDefault("router", "haproxy"), ["from"] = from, ["to"] = to, ["checks"] = gate.Value.Checks };
        // Run again after a crash or failure, the canary goes on from the step the target's share had reached: the
        // steps below it passed their gates in the earlier attempt, and that step's own gate is checked again.
        var first = 0;
        if (context.Attempt > 1)
        {
            var share = await router.TargetPercentAsync(cancellation);
            if (!share.IsOk)
                return StepOutcome.Failed($"the target's share of traffic could not be read to resume the canary: {share.Problem.Message}", evidence);
            first = Math.Max(0, percentages.FindLastIndex(p => p <= share.Value));
            evidence["resumedAt"] = percentages[first].ToString(CultureInfo.InvariantCulture);
        }
        var safe = first > 0 ? percentages[first - 1] : 0;
        foreach (var percent in percentages.Skip(first))
        {
            if (await router.SplitAsync(percent, cancellation) is { } refused)
                return StepOutcome.Failed(refused.Message, evidence);
            var before = await router.TargetCountersAsync(cancellation);
            await Task.Delay(dwell, cancellation);
            var after = await router.TargetCountersAsync(cancellation);
            var (failure, observed) = before.IsOk && after.IsOk
                ? await gate.Value.CheckAsync(Difference(before.Value, after.Value), context, cancellation)
                : ("the router's counters could not be read: " + (before.IsOk ? after.Problem : before.Problem)!.Message, "");
            evidence[$"step:{percent}"] = failure ?? $"passed: {observed}";
            if (failure is not null)
            {
                await router.SplitAsync(safe, cancellation);
                return StepOutcome.Failed($"the gate at {percent}% failed ({failure}); traffic is back at {safe}% on {to}", evidence);
            }
            safe = percent;
        }
        return StepOutcome.Done($"traffic shifted to {to} at {string.Join(", ", percentages.Skip(first))}%{(first > 0 ? $" (resumed: {string.Join(", ", percentages.Take(first))}% passed before the interruption)" : "")}, every gate passed", evidence);
    }

    private static ITrafficSplit? Router(IReadOnlyDictionary<string, string> parameters, StepContext context, string from, string to)
    {
        string? Value(string key) => parameters.TryGetValue(key, out var value) ? Templates.Apply(value, context.Values) : null;
        if (parameters.GetValueOrDefault("router", "haproxy") == "nginx")
            return Value("config") is { } config && Value("upstream-file") is { } file && Value("upstream") is { } upstream ? new NginxSplit(config, file, upstream, from, to) : null;
        return Value("socket") is { } socket && Value("backend") is { } backend ? new HaproxySplit(new HaproxyAdmin(socket), backend, from, to) : null;
    }

    // What the router counted between two readings; null when it counts nothing.
    private static (long Responses, long Errors)? Difference((long Responses, long Errors)? before, (long Responses, long Errors)? after) =>
        before is { } start && after is { } end ? (end.Responses - start.Responses, end.Errors - start.Errors) : null;
}
