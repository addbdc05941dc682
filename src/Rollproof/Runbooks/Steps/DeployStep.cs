using System.Globalization;
using Rollproof.Common;
using Rollproof.Targets;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// <c>uses: deploy</c> on the local target: the release <c>version</c> (default the rollback's target) is verified from
/// the log right before (see <see cref="RollbackReleases"/>), then unpacked by the digest its signed statement gives its
/// <c>artifact</c> (default its first) into <c>local</c>/releases, checked file by file against that artifact, and
/// <c>run</c> is started from that folder in <c>slot</c> on loopback <c>port</c> (<c>{{dir}}</c> and <c>{{port}}</c>
/// are substituted, and PORT is set), then <c>health</c>, if given, must answer 2xx within <c>timeout</c> (default
/// 30s). A slot already running that digest is left alone, so the step can run again after a crash.
/// </summary>
public sealed class DeployStep : IRunbookStep
{
    public string Uses => "deploy";

    public IReadOnlyCollection<string> OwnValues => ["dir", "port"];

    public string Describe(IReadOnlyDictionary<string, string> parameters, StepContext context) =>
        $"unpack {Templates.Apply(parameters.GetValueOrDefault("version", "{{target.version}}"), context.Values)} by digest "
        + $"({PlannedDigest(parameters, context)}) into {LocalTarget.Root(parameters, context) ?? "?"}/releases and run '{parameters.GetValueOrDefault("run", "?")}' "
        + $"in slot {parameters.GetValueOrDefault("slot", "?")} on port {Templates.Apply(parameters.GetValueOrDefault("port", "?"), context.Values)}";

    // The target's artifacts are resolved before the plan is shown; another version's are read when the step runs.
    private static string PlannedDigest(IReadOnlyDictionary<string, string> parameters, StepContext context)
    {
        var version = Templates.Apply(parameters.GetValueOrDefault("version", "{{target.version}}"), context.Values);
        if (version != context.Values.GetValueOrDefault("target.version"))
            return $"as release {version}'s signed statement names it";
        var key = parameters.TryGetValue("artifact", out var artifact) ? "target.artifact." + artifact : "target.artifact";
        return context.Values.GetValueOrDefault(key) ?? $"no artifact '{artifact}' in the target release";
    }

    public async Task<StepOutcome> RunAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, CancellationToken cancellation)
    {
        if (context.Rollback is not { } rollback)
            return StepOutcome.Failed("a deploy step takes its release from the store: it runs only as part of a rollback");
        var portText = Templates.Apply(parameters.GetValueOrDefault("port", ""), context.Values);
        if (LocalTarget.Root(parameters, context) is not { } local || LocalTarget.Slot(parameters) is not { } slot || !parameters.TryGetValue("run", out var run)
            || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            return StepOutcome.Failed($"a deploy step needs {LocalTarget.Needs}, a loopback 'port' and the 'run' command");
        var timeout = StepParameters.Duration(parameters, "timeout", TimeSpan.FromSeconds(30));
        if (!timeout.IsOk)
            return StepOutcome.Failed(timeout.Problem.Message);
        var values = new Dictionary<string, string>(context.Values) { ["port"] = portText };
        Uri? health = null;
        if (parameters.TryGetValue("health", out var h) && !Uri.TryCreate(Templates.Apply(h, values), UriKind.Absolute, out health))
            return StepOutcome.Failed($"health '{h}' is not a URL");
        var version = Templates.Apply(parameters.GetValueOrDefault("version", "{{target.version}}"), context.Values);
        var release = await rollback.Releases.VersionAsync(version, cancellation);
        if (!release.IsOk)
            return StepOutcome.Failed($"release {rollback.Request.App} {version} does not verify, so nothing was started: {release.Problem.Message} ({release.Problem.Code})");
        var deployed = await LocalDeployment.DeployAsync(rollback.Store, release.Value, local, parameters.GetValueOrDefault("artifact"), slot, port,
            Templates.Apply(run, context.Values), health, timeout.Value, context.Clock, cancellation);
        if (!deployed.IsOk)
            return StepOutcome.Failed(deployed.Problem.Message);
        var d = deployed.Value;
        var evidence = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["version"] = version, ["release"] = $"{release.Value.Record.LogIndex} {release.Value.Record.EnvelopeDigest}", ["artifact"] = d.Artifact, ["digest"] = d.Digest.ToString(),
            ["directory"] = d.Slot.Directory, ["slot"] = slot, ["port"] = portText, ["pid"] = d.Slot.Pid!.Value.ToString(CultureInfo.InvariantCulture), ["command"] = d.Slot.Command,
        };
        // Files found changed in the release folder were unpacked again before the start: the journal says which.
        if (d.Restored.Count > 0)
            evidence["restored"] = string.Join(",", d.Restored);
        return StepOutcome.Done($"{d.App} {version} ({d.Digest}) runs in slot {slot} on port {port}, pid {d.Slot.Pid}", evidence);
    }
}
