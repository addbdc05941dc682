using Rollproof.Ledger;
using Rollproof.Rollbacks.Policy;
using Rollproof.Rollbacks.Risk;
using Rollproof.Trust;
using static Rollproof.Rollbacks.Policy.PolicyEvaluator;

namespace Rollproof.Tests.Rollbacks;

/// <summary>Every rule of the policy, one row each: the request or approvals that break it, and the decision that follows.</summary>
public class PolicyEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly StatementRef Request = new(41, "sha256:" + new string('a', 64));
    private static readonly StatementRef OtherRequest = new(40, "sha256:" + new string('b', 64));

    private static readonly RollbackPolicy Policy = PolicyYaml.Parse("""
        environment: prod
        roles:
          requesters: [alice, bob]
          approvers: [carol, dave, alice]
          securityApprovers: [erin]
        approvals: { required: 2, securityApproverFrom: high }
        target: { maxAge: 90d }
        evidence: { ticketPattern: '^INC-[0-9]+$', testResults: required }
        emergency: { breakGlass: [bob], approvals: 0, reviewWithin: 48h, reviewers: [carol] }
        """).Value;

    private static RequestFacts BaseRequest => new(Request, "alice", Now.AddMinutes(-30), Emergency: false, "INC-1234", HasTestResults: true,
        TargetReleasedAt: Now.AddDays(-10), RiskLevel.Medium, TargetIntegrityFailed: false, SecurityRelevantFindings: false, IrreversibleMigrations: false);

    private static ApprovalFacts Approval(string by, ApprovalDecision decision = ApprovalDecision.Approve, StatementRef? boundTo = null, DateTimeOffset? expires = null, long index = 50) =>
        new(index, by, Now.AddMinutes(-10), boundTo ?? Request, decision, expires, []);

    private static readonly ApprovalFacts[] TwoApprovals = [Approval("carol"), Approval("dave", index: 51)];

    public static TheoryData<string, Func<RequestFacts, RequestFacts>, ApprovalFacts[], DecisionStatus, string?> Cases => new()
    {
        { "two distinct approvers", r => r, TwoApprovals, DecisionStatus.Approved, null },
        { "one approver", r => r, [Approval("carol")], DecisionStatus.Pending, Rules.DistinctApprovers },
        { "the same approver twice", r => r, [Approval("carol"), Approval("carol", index: 51)], DecisionStatus.Pending, Rules.DistinctApprovers },
        { "self-approval does not count", r => r, [Approval("carol"), Approval("alice", index: 51)], DecisionStatus.Pending, Rules.DistinctApprovers },
        { "approval by someone without the role", r => r, [Approval("carol"), Approval("mallory", index: 51)], DecisionStatus.Pending, Rules.DistinctApprovers },
        { "approval replayed from another request", r => r, [Approval("carol"), Approval("dave", boundTo: OtherRequest, index: 51)], DecisionStatus.Pending, Rules.DistinctApprovers },
        { "expired approval", r => r, [Approval("carol"), Approval("dave", expires: Now.AddMinutes(-1), index: 51)], DecisionStatus.Pending, Rules.DistinctApprovers },
        { "approval not yet expired", r => r, [Approval("carol"), Approval("dave", expires: Now.AddHours(1), index: 51)], DecisionStatus.Approved, null },
        { "a rejection", r => r, [.. TwoApprovals, Approval("erin", ApprovalDecision.Reject, index: 52)], DecisionStatus.Rejected, Rules.NotRejected },
        { "a rejection withdrawn by a later approval", r => r, [Approval("carol", ApprovalDecision.Reject), Approval("carol", index: 51), Approval("dave", index: 52)], DecisionStatus.Approved, null },
        { "high risk without a security approver", r => r with { Risk = RiskLevel.High }, TwoApprovals, DecisionStatus.Pending, Rules.SecurityApprover },
        { "high risk with a security approver", r => r with { Risk = RiskLevel.High }, [.. TwoApprovals, Approval("erin", index: 52)], DecisionStatus.Approved, null },
        { "security findings at low risk", r => r with { Risk = RiskLevel.Low, SecurityRelevantFindings = true }, TwoApprovals, DecisionStatus.Pending, Rules.SecurityApprover },
        { "a requester without the role", r => r with { Requester = "carol" }, TwoApprovals, DecisionStatus.Refused, Rules.RequesterRole },
        { "a ticket not matching the pattern", r => r with { Ticket = "see slack" }, TwoApprovals, DecisionStatus.Refused, Rules.Ticket },
        { "no test results", r => r with { HasTestResults = false }, TwoApprovals, DecisionStatus.Refused, Rules.TestResults },
        { "a target failing integrity, whatever the approvals", r => r with { TargetIntegrityFailed = true }, [.. TwoApprovals, Approval("erin", index: 52)], DecisionStatus.Refused, Rules.TargetIntegrity },
        { "a target older than allowed", r => r with { TargetReleasedAt = Now.AddDays(-91) }, TwoApprovals, DecisionStatus.Refused, Rules.TargetAge },
        { "irreversible migrations without snapshot restore", r => r with { IrreversibleMigrations = true }, TwoApprovals, DecisionStatus.Refused, Rules.IrreversibleMigrations },
        { "break glass with no approvals", r => r with { Requester = "bob", Emergency = true }, [], DecisionStatus.Approved, null },
        { "break glass waives the security approver", r => r with { Requester = "bob", Emergency = true, Risk = RiskLevel.Critical }, [], DecisionStatus.Approved, null },
        { "break glass does not waive target integrity", r => r with { Requester = "bob", Emergency = true, TargetIntegrityFailed = true }, [], DecisionStatus.Refused, Rules.TargetIntegrity },
        { "an emergency by someone who may not break glass", r => r with { Emergency = true }, TwoApprovals, DecisionStatus.Refused, Rules.RequesterRole },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_rule_decides_as_the_policy_says(string situation, Func<RequestFacts, RequestFacts> change, ApprovalFacts[] approvals, DecisionStatus expected, string? unmet)
    {
        var decision = Evaluate(Policy, change(BaseRequest), approvals, Now);

        Assert.True(expected == decision.Status, $"{situation}: {decision.Status}; unmet: {string.Join("; ", decision.Unmet.Select(r => $"{r.Rule}: {r.Detail}"))}");
        if (unmet is null)
            Assert.Empty(decision.Unmet);
        else
            Assert.Contains(unmet, decision.Unmet.Select(r => r.Rule));
    }

    [Fact]
    public void The_decision_says_why_an_approval_did_not_count_and_carries_conditions()
    {
        ApprovalFacts[] approvals = [Approval("alice"), Approval("dave", boundTo: OtherRequest, index: 51), Approval("carol", index: 52) with { Conditions = ["only after the 18:00 freeze"] }];

        var decision = Evaluate(Policy, BaseRequest, approvals, Now);

        Assert.Equal(["carol"], decision.CountedApprovers);
        Assert.Contains(decision.IgnoredApprovals, i => i.Contains("by alice is the requester's own", StringComparison.Ordinal));
        Assert.Contains(decision.IgnoredApprovals, i => i.Contains("by dave is bound to another statement (log index 40)", StringComparison.Ordinal));
        Assert.Equal(["carol: only after the 18:00 freeze"], decision.Conditions);
        Assert.Equal("1 of 2 distinct approver(s): carol", decision.Unmet.Single().Detail);
    }

    [Fact]
    public void Breaking_glass_sets_the_review_deadline()
    {
        var decision = Evaluate(Policy, BaseRequest with { Requester = "bob", Emergency = true }, [], Now);

        Assert.True(decision.BreakGlass);
        Assert.Equal(BaseRequest.RequestedAt.AddHours(48), decision.ReviewDue);
        Assert.Null(Evaluate(Policy, BaseRequest, TwoApprovals, Now).ReviewDue);
    }
}
