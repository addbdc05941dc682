namespace Rollproof.Rollbacks.Risk;

/// <summary>
/// One security implication of a rollback: a stable <paramref name="Code"/> (listed in docs/risk-findings.md), its
/// severity, its category (sbom, vulnerability, crypto, authorization, migration, integrity), a sentence for people,
/// and the evidence behind it as name-value pairs.
/// </summary>
public sealed record RiskFinding(string Code, Severity Severity, string Category, string Message, IReadOnlyDictionary<string, string> Evidence)
{
    public static RiskFinding Of(string code, Severity severity, string message, params (string Name, string Value)[] evidence) =>
        new(code, severity, code[..code.IndexOf('.')], message, evidence.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal));
}
