namespace Rollproof.Rollbacks.Risk;

/// <summary>How much a finding matters; the highest severity among a rollback's findings sets its <see cref="RiskLevel"/>.</summary>
public enum Severity
{
    Info,
    Low,
    Medium,
    High,
    Critical,
}
