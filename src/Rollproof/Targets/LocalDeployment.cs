using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Storage;

namespace Rollproof.Targets;

/// <summary>What runs after a deploy: the release, the artifact and digest it was unpacked from, and the slot's process.</summary>
public sealed record DeployedRelease(string App, string Version, string Artifact, Sha256Digest Digest, SlotState Slot);

/// <summary>
/// Deploys a published release to the local target: the artifact the signed statement names (by name, or its first)
/// is unpacked by that digest under <c>ROOT/releases</c> and started in a slot (<see cref="LocalProcesses"/>), the
/// command given the release folder as <c>{{dir}}</c> and the port as <c>{{port}}</c>.
/// </summary>
public static class LocalDeployment
{
    public static async Task<Result<DeployedRelease>> DeployAsync(ReleaseStore store, string root, string app, string version, string? artifact, string slot, int port, string command, Uri? health, TimeSpan timeout, TimeProvider clock, CancellationToken cancellation)
    {
        var release = await store.OpenReleaseAsync(app, version, cancellation);
        if (!release.IsOk)
            return new Problem(release.Problem.Code, $"release {app} {version}: {release.Problem.Message}");
        var subjects = release.Value.Statement.Subjects;
        var subject = artifact is null ? (subjects.Count > 0 ? subjects[0] : null) : subjects.FirstOrDefault(s => s.Name == artifact);
        if (subject is null || !subject.Digest.TryGetValue("sha256", out var hex) || Sha256Digest.Parse("sha256:" + hex) is not { IsOk: true } digest)
            return Result<DeployedRelease>.Fail(ErrorCodes.TargetFailed, $"release {app} {version} names no artifact {(artifact is null ? "" : $"'{artifact}' ")}with a sha256 digest");
        var unpacked = await new ReleaseDirectories(Path.Combine(root, "releases")).UnpackAsync(store.Artifacts, digest.Value, subject.Name, cancellation);
        if (!unpacked.IsOk)
            return unpacked.Problem;
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["dir"] = unpacked.Value, ["port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var started = await new LocalProcesses(root).StartAsync(slot, digest.Value.ToString(), unpacked.Value, port, Runbooks.Templates.Apply(command, values),
            health, timeout, clock, cancellation);
        return started.IsOk ? Result<DeployedRelease>.Ok(new DeployedRelease(app, version, subject.Name, digest.Value, started.Value)) : started.Problem;
    }
}
