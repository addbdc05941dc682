using Rollproof.Formats;

namespace Rollproof.Releases;

/// <summary>Everything a release statement binds by digest and the store keeps: artifacts, SBOM, migration and rollback scripts, provenance, cosign bundles (with their keys and trusted roots).</summary>
public static class ReleaseContents
{
    public static IEnumerable<string> Digests(InTotoStatement statement, ReleasePredicate predicate)
    {
        foreach (var subject in statement.Subjects)
            yield return "sha256:" + subject.Digest.GetValueOrDefault("sha256", "");
        if (predicate.Sbom is not null)
            yield return predicate.Sbom.Digest;
        foreach (var migration in predicate.Migrations)
        {
            yield return migration.UpDigest;
            if (migration.DownDigest is not null)
                yield return migration.DownDigest;
        }
        if (predicate.RollbackScriptDigest is not null)
            yield return predicate.RollbackScriptDigest;
        if (predicate.ProvenanceAttestation is not null)
            yield return predicate.ProvenanceAttestation.Digest;
        foreach (var digest in ReleaseCosignBundles.Digests(predicate.CosignBundles))
            yield return digest;
    }
}
