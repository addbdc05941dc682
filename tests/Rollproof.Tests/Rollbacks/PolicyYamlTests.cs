using Rollproof.Common;
using Rollproof.Rollbacks.Policy;
using Rollproof.Rollbacks.Risk;

namespace Rollproof.Tests.Rollbacks;

public class PolicyYamlTests
{
    private const string Full = """
        environment: prod
        roles:
          requesters: [alice, bob]
          approvers: [carol, dave, erin]
          securityApprovers: [erin]
          operators: [ops]
          auditors: [audit]
          admins: [root]
        approvals:
          required: 3
          allowSelfApproval: true
          securityApproverFrom: medium
          securityApproverForSecurityFindings: false
        target:
          maxAge: 90d
        evidence:
          ticketPattern: '^INC-[0-9]+$'
          testResults: required
        emergency:
          breakGlass: [alice]
          approvals: 0
          reviewWithin: 48h
          reviewers: [carol, erin]
        migrations:
          allowSnapshotRestore: true
        policyChanges:
          approvals: 2
        """;

    [Fact]
    public void Every_setting_is_read()
    {
        var policy = PolicyYaml.Parse(Full).Value;

        Assert.Equal("prod", policy.Environment);
        Assert.True(policy.Holds("erin", RollbackRole.SecurityApprover));
        Assert.False(policy.Holds("alice", RollbackRole.Approver));
        Assert.Equal(new ApprovalRules(3, true, RiskLevel.Medium, false), policy.Approvals);
        Assert.Equal(TimeSpan.FromDays(90), policy.Target.MaxAge);
        Assert.Matches(policy.Evidence.TicketPattern!, "INC-42");
        Assert.True(policy.Evidence.TestResultsRequired);
        Assert.Equal((0, TimeSpan.FromHours(48)), (policy.Emergency.Approvals, policy.Emergency.ReviewWithin));
        Assert.Equal(["alice"], policy.Emergency.BreakGlass);
        Assert.True(policy.Migrations.AllowSnapshotRestore);
        Assert.Equal(2, policy.PolicyChanges.Approvals);
    }

    [Fact]
    public void What_is_left_out_takes_the_safe_default()
    {
        var policy = PolicyYaml.Parse("environment: staging\n").Value;

        Assert.Equal(new ApprovalRules(2, false, RiskLevel.High, true), policy.Approvals);
        Assert.Null(policy.Target.MaxAge);
        Assert.Empty(policy.Emergency.BreakGlass);
        Assert.Equal(1, policy.Emergency.Approvals);
        Assert.False(policy.Migrations.AllowSnapshotRestore);
        Assert.Equal(1, policy.PolicyChanges.Approvals);
        Assert.False(policy.Holds("anyone", RollbackRole.Approver));
    }

    [Theory]
    [InlineData("approvals: {required: 2}", "line 1: environment: is required")]
    [InlineData("environment: [prod]", "environment: must be a non-empty text")]
    [InlineData("environment: prod/eu", "environment: 'prod/eu'")]
    [InlineData("environment: prod\nfoo: 1", "line 2: foo: is not a known setting")]
    [InlineData("environment: prod\napprovals:\n  requird: 2", "line 3: approvals.requird: is not a known setting")]
    [InlineData("environment: prod\napprovals:\n  required: -1", "line 3: approvals.required: must be a whole number from 0 to 100")]
    [InlineData("environment: prod\napprovals:\n  required: 101", "approvals.required: must be a whole number from 0 to 100")]
    [InlineData("environment: prod\napprovals:\n  allowSelfApproval: yes", "approvals.allowSelfApproval: must be true or false")]
    [InlineData("environment: prod\napprovals: {securityApproverFrom: severe}", "approvals.securityApproverFrom: 'severe' is not a risk level")]
    [InlineData("environment: prod\nroles:\n  approvers: carol", "line 3: roles.approvers: must be a list of names")]
    [InlineData("environment: prod\nroles:\n  approvers: [carol, carol]", "roles.approvers[1]: 'carol' is listed twice")]
    [InlineData("environment: prod\nroles:\n  approvers: [carol, 'dave smith']", "roles.approvers[1]: must be a key name")]
    [InlineData("environment: prod\nroles: [alice]", "line 2: roles: must be a mapping")]
    [InlineData("environment: prod\ntarget:\n  maxAge: 2w", "target.maxAge: '2w' is not a duration")]
    [InlineData("environment: prod\nemergency:\n  reviewWithin: 0h", "emergency.reviewWithin: '0h' is not a duration")]
    [InlineData("environment: prod\ntarget:\n  maxAge: 99999999d", "line 3: target.maxAge: '99999999d' is not a duration from 1s to 3650d")]
    [InlineData("environment: prod\nemergency:\n  reviewWithin: 99999999d", "line 3: emergency.reviewWithin: '99999999d' is not a duration from 1s to 3650d")]
    [InlineData("environment: prod\nroles:\n  approvers: [carol]\napprovals:\n  required: 2", "line 5: approvals.required: 2 approvals can never be met: roles.approvers and roles.securityApprovers list 1 (carol)")]
    [InlineData("environment: prod\nroles:\n  approvers: [carol]", "line 3: roles: approvals.required (default 2): 2 approvals can never be met")]
    [InlineData("environment: prod\nroles:\n  requesters: [carol]\n  approvers: [carol, dave]\n", "a request by carol, who may not approve their own")]
    [InlineData("environment: prod\nroles:\n  approvers: [carol, dave]\napprovals: { required: 1 }\nemergency:\n  breakGlass: [erin]\n  approvals: 3", "line 7: emergency.approvals: 3 approvals can never be met")]
    [InlineData("environment: prod\nevidence:\n  ticketPattern: '(['", "evidence.ticketPattern: '([' is not a regular expression")]
    [InlineData("environment: prod\nevidence:\n  testResults: maybe", "evidence.testResults: 'maybe' is neither required nor optional")]
    [InlineData("environment: prod\n  bad: indentation: here", "not valid YAML")]
    [InlineData("environment: prod\n---\nenvironment: staging", "one YAML document, not 2")]
    [InlineData("environment: prod\nroles:\n  approvers: [carol\n  admins: [root]", "not valid YAML")] // fuzzer: policy, seed 1, iteration 43
    [InlineData("environment: prod\nroles:\n  approvers: [carol] *a", "not valid YAML")] // fuzzer: policy, seed 1, iteration 2593
    public void Mistakes_are_refused_naming_the_line_and_setting(string yaml, string message)
    {
        var policy = PolicyYaml.ParseProposed(yaml);

        Assert.Equal(ErrorCodes.PolicyInvalid, policy.Problem?.Code);
        Assert.Contains(message, policy.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_logged_policy_whose_quorum_cannot_be_met_is_still_read_so_its_environment_stays_governed()
    {
        const string yaml = "environment: prod\nroles:\n  approvers: [carol]\n  operators: [ops]\n";

        Assert.Equal(ErrorCodes.PolicyInvalid, PolicyYaml.ParseProposed(yaml).Problem?.Code);
        Assert.Equal(2, PolicyYaml.Parse(yaml).Value.Approvals.Required);
    }
}
