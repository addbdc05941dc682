using Rollproof.Common;
using Rollproof.Traffic;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// <c>uses: pause-ingress</c> and <c>resume-ingress</c>, through haproxy's admin <c>socket</c>: the servers of
/// <c>backend</c> (all, or those listed in <c>servers</c>) are put in maintenance (new requests get the 503 of the
/// haproxy configuration's errorfile, which should carry Retry-After; requests in flight finish), or made ready again.
/// No reload, nothing cut.
/// </summary>
public sealed class IngressStep(bool pause) : IRunbookStep
{
    public string Uses => pause ? "pause-ingress" : "resume-ingress";

    public string Describe(IReadOnlyDictionary<string, string> parameters, StepContext context) =>
        $"{(pause ? "put in maintenance" : "make ready")} {(parameters.TryGetValue("servers", out var servers) ? "servers " + servers + " of" : "every server of")} haproxy backend {parameters.GetValueOrDefault("backend", "?")} via {parameters.GetValueOrDefault("socket", "?")}";

    public async Task<StepOutcome> RunAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, CancellationToken cancellation)
    {
        if (!parameters.TryGetValue("socket", out var socket) || !parameters.TryGetValue("backend", out var backend))
            return StepOutcome.Failed($"{Uses} needs haproxy's admin 'socket' and the 'backend'");
        var admin = new HaproxyAdmin(Templates.Apply(socket, context.Values));
        var servers = await admin.StatsAsync(backend, cancellation);
        if (!servers.IsOk)
            return StepOutcome.Failed(servers.Problem.Message);
        var chosen = parameters.TryGetValue("servers", out var listed) ? listed.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [.. servers.Value.Select(s => s.Server)];
        if (chosen.FirstOrDefault(c => servers.Value.All(s => s.Server != c)) is { } unknown)
            return StepOutcome.Failed($"haproxy backend {backend} has no server {unknown}");
        foreach (var server in chosen)
            if (await admin.SetStateAsync(backend, server, pause ? "maint" : "ready", cancellation) is { } refused)
                return StepOutcome.Failed(refused.Message);
        var names = string.Join(",", chosen);
        return StepOutcome.Done($"{(pause ? "paused" : "resumed")} {backend}: {names}", new Dictionary<string, string> { ["backend"] = backend, ["servers"] = names });
    }
}
