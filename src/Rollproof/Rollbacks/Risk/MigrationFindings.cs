using Rollproof.Releases;

namespace Rollproof.Rollbacks.Risk;

/// <summary>
/// Migrations the rollback must undo, newest first: those the current release has and the target does not. Each
/// needs a down script that was recorded and is still in the artifact store.
/// </summary>
internal static class MigrationFindings
{
    public static IEnumerable<RiskFinding> Find(ReleasePredicate current, ReleasePredicate target, Func<string, bool> blobExists)
    {
        var kept = target.Migrations.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var migration in current.Migrations.Where(m => !kept.Contains(m.Id)).Reverse())
        {
            if (migration.DownDigest is not { } down)
                yield return RiskFinding.Of(RiskCodes.MigrationIrreversible, Severity.High, $"migration {migration.Id} has no down script: undoing it means restoring a snapshot", ("migration", migration.Id));
            else if (!blobExists(down))
                yield return RiskFinding.Of(RiskCodes.MigrationDownMissing, Severity.High, $"the down script of migration {migration.Id} ({down}) is not in the artifact store", ("migration", migration.Id), ("downDigest", down));
        }
    }
}
