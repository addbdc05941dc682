using Rollproof.Formats;
using Rollproof.Releases;

namespace Rollproof.Ledger;

/// <summary>The columns an index keeps of a statement: which app, environment and version it is about, and a one-line summary.</summary>
public sealed record LedgerFacts(string? App, string? Environment, string? Version, string Summary, IReadOnlyList<(string Digest, string File)> Files)
{
    public static LedgerFacts Of(LedgerEntry entry)
    {
        if (entry.Statement is not { } statement)
            return new LedgerFacts(null, null, null, "an entry that is not a Rollproof statement", []);
        switch (entry.Kind)
        {
            case StatementKinds.Release when ReleaseStatement.Read(statement) is { IsOk: true } release:
            {
                var p = release.Value;
                var files = statement.Subjects.Select(s => ("sha256:" + s.Digest.GetValueOrDefault("sha256", ""), s.Name)).ToList();
                if (p.Sbom is { } sbom)
                    files.Add((sbom.Digest, "sbom"));
                foreach (var migration in p.Migrations)
                {
                    files.Add((migration.UpDigest, $"migration {migration.Id} up"));
                    if (migration.DownDigest is { } down)
                        files.Add((down, $"migration {migration.Id} down"));
                }
                if (p.RollbackScriptDigest is { } script)
                    files.Add((script, "rollback script"));
                return new LedgerFacts(p.App, null, p.Version, $"release {p.App} {p.Version}", files);
            }
            case StatementKinds.Deployment when PredicateJson.Read<DeploymentPredicate>(statement, StatementKinds.PredicateType(StatementKinds.Deployment), "a deployment") is { IsOk: true } deployment:
            {
                var d = deployment.Value;
                return new LedgerFacts(d.App, d.Environment, d.Version, $"deployment of {d.App} {d.Version} to {d.Environment}", []);
            }
            default:
                return new LedgerFacts(null, null, null, $"{entry.Kind} statement ({statement.PredicateType})", []);
        }
    }
}
