namespace Rollproof.Rollbacks.Risk;

/// <summary>How risky a rollback is, from the most severe of its findings; policies require more approval as it rises.</summary>
public enum RiskLevel
{
    Low,
    Medium,
    High,
    Critical,
}
