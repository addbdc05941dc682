using Rollproof.Rollbacks.Policy;
using Rollproof.Trust;

namespace Rollproof.Tests.Rollbacks;

/// <summary>
/// The policy's decision on an operator's runbook amendment (<see cref="PolicyEvaluator.EvaluateAmendment"/>): as many
/// approvals as <c>amendments.approvals</c> asks (else <c>approvals.required</c>), bound to the amendment, by its
/// approvers, never by the amender even where self-approval is allowed; a rejection rejects it.
/// </summary>
public class AmendmentEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly StatementRef Amendment = new(60, "sha256:" + new string('a', 64));
    private static readonly StatementRef Request = new(41, "sha256:" + new string('b', 64));

    private static RollbackPolicy Policy(string amendments) => PolicyYaml.Parse($$"""
        environment: prod
        roles: { requesters: [alice], approvers: [carol, dave, olga], securityApprovers: [erin], operators: [ops, olga] }
        approvals: { required: 2, allowSelfApproval: true }
        {{amendments}}
        """).Value;

    private static ApprovalFacts Approval(string by, long index, ApprovalDecision decision = ApprovalDecision.Approve, StatementRef? boundTo = null) =>
        new(index, by, Now.AddMinutes(-5), boundTo ?? Amendment, decision, null, []);

    public static TheoryData<string, string, ApprovalFacts[], DecisionStatus, int> Cases => new()
    {
        { "two approvers, as a request needs", "", [Approval("carol", 61), Approval("dave", 62)], DecisionStatus.Approved, 2 },
        { "a security approver counts", "", [Approval("carol", 61), Approval("erin", 62)], DecisionStatus.Approved, 2 },
        { "one approver of two", "", [Approval("carol", 61)], DecisionStatus.Pending, 1 },
        { "amendments.approvals: 1", "amendments: { allow: approval, approvals: 1 }", [Approval("carol", 61)], DecisionStatus.Approved, 1 },
        { "amendments.approvals: 3", "amendments: { approvals: 3 }", [Approval("carol", 61), Approval("dave", 62)], DecisionStatus.Pending, 2 },
        { "the amender's own, though self-approval is allowed for requests", "", [Approval("carol", 61), Approval("olga", 62)], DecisionStatus.Pending, 1 },
        { "the request's approvals", "", [Approval("carol", 61, boundTo: Request), Approval("dave", 62, boundTo: Request)], DecisionStatus.Pending, 0 },
        { "an operator who is no approver", "", [Approval("carol", 61), Approval("ops", 62)], DecisionStatus.Pending, 1 },
        { "a rejection", "", [Approval("carol", 61), Approval("dave", 62), Approval("erin", 63, ApprovalDecision.Reject)], DecisionStatus.Rejected, 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Amendment_approvals_are_judged_by_the_policy(string name, string amendments, ApprovalFacts[] approvals, DecisionStatus status, int counted)
    {
        var decision = PolicyEvaluator.EvaluateAmendment(Policy(amendments), Amendment, "olga", approvals, Now);

        Assert.True(status == decision.Status, name);
        Assert.Equal(counted, decision.CountedApprovers.Count);
    }

    [Theory]
    [InlineData("amendments: { approvals: 0 }")]
    [InlineData("amendments: { approvals: many }")]
    public void An_amendments_approval_count_out_of_range_is_refused_naming_it(string amendments)
    {
        var parsed = PolicyYaml.Parse($"environment: prod\n{amendments}\n");

        Assert.False(parsed.IsOk);
        Assert.Contains("amendments.approvals", parsed.Problem.Message, StringComparison.Ordinal);
    }
}
