using Rollproof.Common;
using Rollproof.Formats;

namespace Rollproof.Releases.Provenance;

/// <summary>
/// A provenance attestation speaks for a release only if it names exactly the release's artifacts: each artifact's
/// sha256 among its subjects, and no subject that is not an artifact of the release.
/// </summary>
public static class ProvenanceSubjects
{
    public static Problem? Mismatch(IReadOnlyList<Subject> artifacts, InTotoStatement provenance, string file)
    {
        var attested = provenance.Subjects.Select(s => s.Digest.GetValueOrDefault("sha256")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (artifacts.FirstOrDefault(a => !attested.Contains(a.Digest["sha256"])) is { } missing)
            return Problem($"provenance file '{file}' names no subject with the digest of artifact '{missing.Name}' (sha256:{missing.Digest["sha256"]}): it does not attest the build of this release");
        var released = artifacts.Select(a => a.Digest["sha256"]).ToHashSet(StringComparer.Ordinal);
        if (provenance.Subjects.FirstOrDefault(s => !s.Digest.TryGetValue("sha256", out var hex) || !released.Contains(hex)) is { } extra)
            return Problem($"provenance file '{file}' names subject '{extra.Name}' ({(extra.Digest.TryGetValue("sha256", out var hex) ? "sha256:" + hex : "no sha256 digest")}), which is not an artifact of this release");
        return null;
    }

    private static Problem Problem(string message) => new(ErrorCodes.ProvenanceMismatch, message);
}
