using System.Text.RegularExpressions;
using Rollproof.Rollbacks.Risk;

namespace Rollproof.Rollbacks.Policy;

/// <summary>
/// The rules for rolling back one environment: who holds which role (by their key's name in the trust file), how many
/// distinct approvers a request needs and when one must be a security approver, how old a target may be, the evidence
/// a request must carry, what an emergency may skip and how soon it must be reviewed, and how the policy itself changes.
/// Written as YAML (<see cref="PolicyYaml"/>), signed and logged; immutable.
/// </summary>
public sealed record RollbackPolicy(
    string Environment,
    IReadOnlyDictionary<RollbackRole, IReadOnlySet<string>> Roles,
    ApprovalRules Approvals,
    TargetRules Target,
    EvidenceRules Evidence,
    EmergencyRules Emergency,
    MigrationRules Migrations,
    PolicyChangeRules PolicyChanges)
{
    public bool Holds(string person, RollbackRole role) => Roles.TryGetValue(role, out var people) && people.Contains(person);

    /// <summary>Whether an operator's amendment of a failed run's runbook is enough alone; by default it is not (docs/rollbacks.md).</summary>
    public AmendmentRules Amendments { get; init; } = AmendmentRules.Default;
}

/// <summary>
/// <c>amendments: { allow: operator }</c>: an operator's signed, logged amendment suffices for a resume to use the
/// corrected runbook; <c>approval</c> (the default, failing closed) makes it wait for <paramref name="Approvals"/>
/// distinct approvers' approvals of the amendment itself (null: as many as a request needs).
/// </summary>
public sealed record AmendmentRules(bool OperatorAlone, int? Approvals = null)
{
    public static AmendmentRules Default { get; } = new(false);

    public int Required(ApprovalRules requests) => Approvals ?? requests.Required;
}

/// <summary>
/// <paramref name="Required"/> distinct approvers; self-approval never counts unless allowed; a security approver
/// must be among them when the risk reaches <paramref name="SecurityApproverFrom"/> or any finding is security-relevant.
/// </summary>
public sealed record ApprovalRules(int Required, bool AllowSelfApproval, RiskLevel SecurityApproverFrom, bool SecurityApproverForSecurityFindings);

/// <summary>A target released more than <paramref name="MaxAge"/> ago is refused (null: any age).</summary>
public sealed record TargetRules(TimeSpan? MaxAge);

/// <summary>The ticket must match <paramref name="TicketPattern"/>; test results may be required.</summary>
public sealed record EvidenceRules(Regex? TicketPattern, bool TestResultsRequired);

/// <summary>
/// Who may break glass, with how many approvals (possibly none), and within how long after the request a review by
/// one of <paramref name="Reviewers"/> must follow; overdue reviews are reported.
/// </summary>
public sealed record EmergencyRules(IReadOnlySet<string> BreakGlass, int Approvals, TimeSpan ReviewWithin, IReadOnlySet<string> Reviewers);

/// <summary>Whether an irreversible migration may be undone by restoring the snapshot taken before the rollback.</summary>
public sealed record MigrationRules(bool AllowSnapshotRestore);

/// <summary>How many admins, other than the author, must approve a change to this policy.</summary>
public sealed record PolicyChangeRules(int Approvals);
