namespace Rollproof.Rollbacks.Policy;

/// <summary>What a person may do in an environment. Each action checks its role; no role implies another.</summary>
public enum RollbackRole
{
    Requester,
    Approver,
    SecurityApprover,
    Operator,
    Auditor,
    Admin,
}
