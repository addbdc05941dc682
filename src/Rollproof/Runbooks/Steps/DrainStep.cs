using Rollproof.Common;
using Rollproof.Targets;
using Rollproof.Traffic;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// <c>uses: drain</c> on the local target: stops the process in <c>slot</c> (SIGTERM, then SIGKILL after <c>grace</c>,
/// default 30s). With haproxy's admin <c>socket</c>, <c>backend</c> and <c>server</c>, the server first takes no new
/// requests (drain, unless already in maintenance) and the step waits, within the grace, for its sessions to finish.
/// A slot with nothing running is already drained.
/// </summary>
public sealed class DrainStep : IRunbookStep
{
    public string Uses => "drain";

    public string Describe(IReadOnlyDictionary<string, string> parameters, StepContext context) =>
        $"stop slot {parameters.GetValueOrDefault("slot", "?")} of {LocalTarget.Root(parameters, context) ?? "?"} after its requests finish (grace {parameters.GetValueOrDefault("grace", "30s")})";

    public async Task<StepOutcome> RunAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, CancellationToken cancellation)
    {
        if (LocalTarget.Root(parameters, context) is not { } local || LocalTarget.Slot(parameters) is not { } slot)
            return StepOutcome.Failed($"a drain step needs {LocalTarget.Needs}");
        var grace = StepParameters.Duration(parameters, "grace", TimeSpan.FromSeconds(30));
        if (!grace.IsOk)
            return StepOutcome.Failed(grace.Problem.Message);
        var deadline = DateTime.UtcNow + grace.Value;
        if (parameters.TryGetValue("socket", out var socket) && parameters.TryGetValue("backend", out var backend) && parameters.TryGetValue("server", out var server))
        {
            var admin = new HaproxyAdmin(Templates.Apply(socket, context.Values));
            while (true)
            {
                var stats = await admin.StatsAsync(backend, cancellation);
                if (!stats.IsOk)
                    return StepOutcome.Failed(stats.Problem.Message);
                if (stats.Value.FirstOrDefault(s => s.Server == server) is not { } current)
                    return StepOutcome.Failed($"haproxy backend {backend} has no server {server}");
                if (!current.Status.StartsWith("MAINT", StringComparison.Ordinal) && !current.Status.StartsWith("DRAIN", StringComparison.Ordinal)
                    && await admin.SetStateAsync(backend, server, "drain", cancellation) is { } refused)
                    return StepOutcome.Failed(refused.Message);
                if (current.Sessions == 0 || DateTime.UtcNow >= deadline)
                    break;
                await Task.Delay(100, cancellation);
            }
        }
        var stopped = await new LocalProcesses(local).StopAsync(slot, deadline > DateTime.UtcNow ? deadline - DateTime.UtcNow : TimeSpan.Zero, cancellation);
        return stopped is null
            ? StepOutcome.Done($"slot {slot} runs nothing", new Dictionary<string, string> { ["slot"] = slot })
            : StepOutcome.Done($"slot {slot} stopped (pid {stopped.Pid}, {stopped.Digest})", new Dictionary<string, string> { ["slot"] = slot, ["digest"] = stopped.Digest, ["pid"] = stopped.Pid!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }
}
