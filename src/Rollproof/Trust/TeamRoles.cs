namespace Rollproof.Trust;

/// <summary>
/// The kinds a team member in a usual role signs, so that a team's starting trust is one command
/// (<c>rollproof trust init --ci … --approver …</c>) rather than a list of kinds per person. A role is only a
/// shorthand for these kinds: the trust file records kinds, and a policy still decides who approves what.
/// </summary>
public static class TeamRoles
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Kinds { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        // The build pipeline publishes releases, and nothing else.
        ["ci"] = [KnownKinds.Release],
        // Operators deploy and run rollbacks, report on them, correct a failed run's runbook (the policy decides whether
        // that needs approval), and may ask for a rollback when they see an incident.
        ["operator"] = [KnownKinds.Deployment, KnownKinds.Execution, KnownKinds.Notification, KnownKinds.Report, KnownKinds.RollbackRequest, KnownKinds.RollbackAmendment],
        // Approvers ask for, approve and review rollbacks.
        ["approver"] = [KnownKinds.Approval, KnownKinds.Review, KnownKinds.RollbackRequest],
        // Admins govern: policies, trust itself, and lifting a stuck environment lock.
        ["admin"] = [KnownKinds.Policy, KnownKinds.KeyChange, KnownKinds.LockOverride],
    };
}
