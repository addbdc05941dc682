using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Storage;

namespace Rollproof.Targets;

/// <summary>
/// What runs after a deploy: the release, the artifact and digest it was unpacked from, the slot's process, and the
/// files of the release folder that had been changed since an earlier unpack and were unpacked again.
/// </summary>
public sealed record DeployedRelease(string App, string Version, string Artifact, Sha256Digest Digest, SlotState Slot, IReadOnlyList<string> Restored);

/// <summary>
/// Deploys a verified release to the local target: the artifact its signed statement names (by name, or its first) is
/// unpacked by that digest under <c>ROOT/releases</c>, the folder checked file by file against the artifact, and
/// started in a slot (<see cref="LocalProcesses"/>), the command given the release folder as <c>{{dir}}</c> and the
/// port as <c>{{port}}</c>.
/// </summary>
public static class LocalDeployment
{
    public static async Task<Result<DeployedRelease>> DeployAsync(ReleaseStore store, VerifiedRelease release, string root, string? artifact, string slot, int port, string command, Uri? health, TimeSpan timeout, TimeProvider clock, CancellationToken cancellation)
    {
        var (app, version) = (release.Predicate.App, release.Predicate.Version);
        var subjects = release.Artifacts;
        var subject = artifact is null ? (subjects.Count > 0 ? subjects[0] : null) : subjects.FirstOrDefault(s => s.Name == artifact);
        if (subject is null || !subject.Digest.TryGetValue("sha256", out var hex) || Sha256Digest.Parse("sha256:" + hex) is not { IsOk: true } digest)
            return Result<DeployedRelease>.Fail(ErrorCodes.TargetFailed, $"release {app} {version} names no artifact {(artifact is null ? "" : $"'{artifact}' ")}with a sha256 digest");
        var unpacked = await new ReleaseDirectories(Path.Combine(root, "releases")).UnpackAsync(store.Artifacts, digest.Value, subject.Name, cancellation);
        if (!unpacked.IsOk)
            return unpacked.Problem;
        var folder = unpacked.Value.Directory;
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["dir"] = folder, ["port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var started = await new LocalProcesses(root).StartAsync(slot, digest.Value.ToString(), folder, port, Templates.Apply(command, values),
            health, timeout, clock, cancellation);
        return started.IsOk ? Result<DeployedRelease>.Ok(new DeployedRelease(app, version, subject.Name, digest.Value, started.Value, unpacked.Value.Restored)) : started.Problem;
    }
}
