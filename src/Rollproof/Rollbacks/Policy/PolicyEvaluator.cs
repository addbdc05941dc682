using Rollproof.Trust;

namespace Rollproof.Rollbacks.Policy;

/// <summary>
/// Judges a rollback request and its approvals against an environment's policy, at a given time. Pure: the same
/// inputs give the same decision, so a decision can be re-derived by anyone from the log. Rules that concern the
/// request itself refuse it outright; the approval rules leave it pending until met; a valid rejection rejects it.
/// </summary>
public static class PolicyEvaluator
{
    public static class Rules
    {
        public const string RequesterRole = "requester-role";
        public const string Ticket = "ticket";
        public const string TestResults = "test-results";
        public const string TargetIntegrity = "target-integrity";
        public const string TargetAge = "target-age";
        public const string IrreversibleMigrations = "irreversible-migrations";
        public const string DistinctApprovers = "distinct-approvers";
        public const string SecurityApprover = "security-approver";
        public const string NotRejected = "not-rejected";
    }

    public static PolicyDecision Evaluate(RollbackPolicy policy, RequestFacts request, IReadOnlyList<ApprovalFacts> approvals, DateTimeOffset now)
    {
        var breakGlass = request.Emergency && policy.Emergency.BreakGlass.Contains(request.Requester);
        var requestRules = new List<RuleOutcome>
        {
            RequesterRule(policy, request, breakGlass),
            TicketRule(policy, request),
            new(Rules.TestResults, !policy.Evidence.TestResultsRequired || request.HasTestResults,
                policy.Evidence.TestResultsRequired ? (request.HasTestResults ? "test results attached" : "the policy requires test results; the request has none") : "not required"),
            new(Rules.TargetIntegrity, !request.TargetIntegrityFailed,
                request.TargetIntegrityFailed ? "the target fails its integrity checks: refused whatever the approvals" : "the target's signature, key and inclusion verify"),
            TargetAgeRule(policy, request, now),
            new(Rules.IrreversibleMigrations, !request.IrreversibleMigrations || policy.Migrations.AllowSnapshotRestore,
                !request.IrreversibleMigrations ? "every migration to undo is reversible"
                : policy.Migrations.AllowSnapshotRestore ? "irreversible migrations will be undone by restoring the snapshot, as the policy allows"
                : "migrations to undo are irreversible, and the policy does not allow restoring the snapshot instead"),
        };

        var (counted, ignored, rejections, conditions) = Sort(policy, request.Request, new Author(request.Requester, "requester", "request", policy.Approvals.AllowSelfApproval), approvals, now);
        var required = breakGlass ? policy.Emergency.Approvals : policy.Approvals.Required;
        // Breaking glass waives approvals down to the emergency's own count; the after-the-fact review covers the rest.
        var securityNeeded = !breakGlass && (request.Risk >= policy.Approvals.SecurityApproverFrom
            || (request.SecurityRelevantFindings && policy.Approvals.SecurityApproverForSecurityFindings));
        var security = counted.Where(a => policy.Holds(a, RollbackRole.SecurityApprover)).ToList();
        var approvalRules = new List<RuleOutcome>
        {
            new(Rules.DistinctApprovers, counted.Count >= required,
                $"{counted.Count} of {required} distinct approver(s){(breakGlass ? " (break glass)" : "")}{(counted.Count > 0 ? ": " + string.Join(", ", counted) : "")}"),
            new(Rules.SecurityApprover, !securityNeeded || security.Count > 0,
                breakGlass ? "waived by break glass (the review follows)" : !securityNeeded ? "not needed at this risk" : security.Count > 0 ? $"approved by security approver {security[0]}" : $"risk {request.Risk.ToString().ToLowerInvariant()}{(request.SecurityRelevantFindings ? " with security findings" : "")} needs a security approver's approval"),
            new(Rules.NotRejected, rejections.Count == 0, rejections.Count == 0 ? "no valid rejection" : "rejected by " + string.Join(", ", rejections)),
        };

        var status = requestRules.Any(r => !r.Met) ? DecisionStatus.Refused
            : rejections.Count > 0 ? DecisionStatus.Rejected
            : approvalRules.Any(r => !r.Met) ? DecisionStatus.Pending
            : DecisionStatus.Approved;
        return new PolicyDecision(status, [.. requestRules, .. approvalRules], counted, ignored, conditions, breakGlass && status == DecisionStatus.Approved,
            request.Emergency ? request.RequestedAt + policy.Emergency.ReviewWithin : null) { RequiredApprovals = required };
    }

    private static RuleOutcome RequesterRule(RollbackPolicy policy, RequestFacts request, bool breakGlass)
    {
        if (request.Emergency)
            return new(Rules.RequesterRole, breakGlass, breakGlass ? $"{request.Requester} may break glass" : $"{request.Requester} may not break glass in {policy.Environment}");
        var holds = policy.Holds(request.Requester, RollbackRole.Requester);
        return new(Rules.RequesterRole, holds, holds ? $"{request.Requester} is a requester" : $"{request.Requester} is not a requester in {policy.Environment}");
    }

    private static RuleOutcome TicketRule(RollbackPolicy policy, RequestFacts request)
    {
        if (policy.Evidence.TicketPattern is not { } pattern)
            return new(Rules.Ticket, request.Ticket.Length > 0, request.Ticket.Length > 0 ? $"ticket {request.Ticket}" : "the request names no ticket");
        bool matches;
        try
        {
            matches = pattern.IsMatch(request.Ticket);
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            matches = false;
        }
        return new(Rules.Ticket, matches, matches ? $"ticket {request.Ticket}" : $"ticket '{request.Ticket}' does not match {pattern}");
    }

    private static RuleOutcome TargetAgeRule(RollbackPolicy policy, RequestFacts request, DateTimeOffset now)
    {
        if (policy.Target.MaxAge is not { } maxAge)
            return new(Rules.TargetAge, true, "any age");
        var age = now - request.TargetReleasedAt;
        return new(Rules.TargetAge, age <= maxAge, $"the target was released {age.TotalDays:0.#} days ago (at most {maxAge.TotalDays:0.#})");
    }

    /// <summary>
    /// The decision on an operator's amendment of a failed run's runbook (<c>amendments: { allow: approval }</c>): the
    /// approvals bound to <paramref name="amendment"/> (index and digest) by the policy's approvers, never its amender's,
    /// as many as <see cref="AmendmentRules.Required"/> asks; a valid rejection rejects it. The request's own approvals
    /// are bound to the request, so they never count here.
    /// </summary>
    public static PolicyDecision EvaluateAmendment(RollbackPolicy policy, StatementRef amendment, string amender, IReadOnlyList<ApprovalFacts> approvals, DateTimeOffset now)
    {
        var (counted, ignored, rejections, conditions) = Sort(policy, amendment, new Author(amender, "amender", "amendment", MayApprove: false), approvals, now);
        var required = policy.Amendments.Required(policy.Approvals);
        RuleOutcome[] rules =
        [
            new(Rules.DistinctApprovers, counted.Count >= required, $"{counted.Count} of {required} distinct approver(s) of the amendment{(counted.Count > 0 ? ": " + string.Join(", ", counted) : "")}"),
            new(Rules.NotRejected, rejections.Count == 0, rejections.Count == 0 ? "no valid rejection" : "rejected by " + string.Join(", ", rejections)),
        ];
        var status = rejections.Count > 0 ? DecisionStatus.Rejected : counted.Count >= required ? DecisionStatus.Approved : DecisionStatus.Pending;
        return new PolicyDecision(status, rules, counted, ignored, conditions, false, null) { RequiredApprovals = required };
    }

    // Who wrote the statement approved (as which role, of what) and whether their own approval may count.
    private sealed record Author(string Name, string Role, string Of, bool MayApprove);

    // Which approvals count: bound to this subject, by someone allowed to approve, other than its author unless
    // allowed, not expired; each person once (their latest decision counts).
    private static (List<string> Counted, List<string> Ignored, List<string> Rejections, List<string> Conditions) Sort(
        RollbackPolicy policy, StatementRef subject, Author author, IReadOnlyList<ApprovalFacts> approvals, DateTimeOffset now)
    {
        var ignored = new List<string>();
        var latest = new Dictionary<string, ApprovalFacts>(StringComparer.Ordinal);
        foreach (var approval in approvals.OrderBy(a => a.LogIndex))
        {
            var why = approval.BoundTo != subject ? $"is bound to another statement (log index {approval.BoundTo.LogIndex}), not this {author.Of}"
                : !policy.Holds(approval.Approver, RollbackRole.Approver) && !policy.Holds(approval.Approver, RollbackRole.SecurityApprover) ? "is by someone who may not approve here"
                : approval.Approver == author.Name && !author.MayApprove ? $"is the {author.Role}'s own (no self-approval)"
                : approval.ExpiresAt is { } expires && expires <= now ? $"expired at {expires:O}"
                : null;
            if (why is null)
                latest[approval.Approver] = approval;
            else
                ignored.Add($"log index {approval.LogIndex} by {approval.Approver} {why}");
        }
        var counted = latest.Values.Where(a => a.Decision == ApprovalDecision.Approve).Select(a => a.Approver).Order(StringComparer.Ordinal).ToList();
        var rejections = latest.Values.Where(a => a.Decision == ApprovalDecision.Reject).Select(a => a.Approver).Order(StringComparer.Ordinal).ToList();
        var conditions = latest.Values.Where(a => a.Decision == ApprovalDecision.Approve).SelectMany(a => a.Conditions.Select(c => $"{a.Approver}: {c}")).ToList();
        return (counted, ignored, rejections, conditions);
    }
}
