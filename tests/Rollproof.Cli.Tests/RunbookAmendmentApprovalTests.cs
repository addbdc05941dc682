using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Runbooks;
using Rollproof.Signing;
using Rollproof.Trust;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// Where the policy says nothing about amendments (approval, the default), an operator's amendment waits for the
/// policy's approvers: a resume runs it only once enough of them approved that amendment, by its log index and digest,
/// with keys trusted for approvals, none of them its amender; approvals of the request or of another amendment never
/// count, and nothing runs until the quorum is met.
/// </summary>
public sealed class RunbookAmendmentApprovalTests : AmendmentFixture
{
    public enum Attack { None, RequestApprovalsReused, UntrustedKey, KeyNotTrustedForApprovals, AnotherDigest, AnotherRequestsAmendment }

    [Theory]
    [InlineData(Attack.None, "0 of 2")]
    [InlineData(Attack.RequestApprovalsReused, "0 of 2")]
    [InlineData(Attack.UntrustedKey, "not counted")]
    [InlineData(Attack.KeyNotTrustedForApprovals, "not counted")]
    [InlineData(Attack.AnotherDigest, "0 of 2")]
    [InlineData(Attack.AnotherRequestsAmendment, "0 of 2")]
    public async Task A_resume_refuses_an_amendment_whose_approvals_do_not_count_and_runs_nothing(Attack attack, string message)
    {
        var (request, _) = FailedByItsRunbook();
        var amendment = Logged(Amend(request));
        using var mallory = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        switch (attack)
        {
            case Attack.RequestApprovalsReused:
                // The request's approvals are there already; the same approvers sign the request again, after the amendment.
                var requestRef = StatementRef.Of(request, LogEntry(request));
                foreach (var approver in new[] { "carol", "dave" })
                    await ApproveRawAsync(requestRef, Keys[approver]);
                break;
            case Attack.UntrustedKey:
                await ApproveRawAsync(amendment, mallory);
                await ApproveRawAsync(amendment, mallory);
                break;
            case Attack.KeyNotTrustedForApprovals:
                // ops is trusted, but not to sign approvals.
                await ApproveRawAsync(amendment, Keys["ops"]);
                break;
            case Attack.AnotherDigest:
                foreach (var approver in new[] { "carol", "dave" })
                    await ApproveRawAsync(amendment with { Digest = Digest("another amendment") }, Keys[approver]);
                break;
            case Attack.AnotherRequestsAmendment:
                var other = Request("bob").GetProperty("logIndex").GetInt64();
                var otherAmendment = await AmendRawAsync(other, request);
                foreach (var approver in new[] { "carol", "dave" })
                    Assert.Equal(ExitCodes.Ok, ApproveAmendment(other, otherAmendment.LogIndex, approver).ExitCode);
                var misdirected = ApproveAmendment(request, otherAmendment.LogIndex, "carol");
                Assert.Equal(ExitCodes.InputError, misdirected.ExitCode);
                Assert.Contains($"not an amendment of request {request}", misdirected.Error, StringComparison.Ordinal);
                break;
        }

        var resumed = Resume(request);

        Assert.Equal(ExitCodes.VerificationFailed, resumed.ExitCode);
        Assert.Contains("RP2630", resumed.Error, StringComparison.Ordinal);
        Assert.Contains($"amendment at log index {amendment.LogIndex} needs approval", resumed.Error, StringComparison.Ordinal);
        Assert.Contains(message, resumed.Error, StringComparison.Ordinal);
        Assert.Contains($"'rollproof rollback approve {request} --amendment {amendment.LogIndex}'", resumed.Error, StringComparison.Ordinal);
        Assert.Equal(["announced"], File.ReadAllLines(Out));
    }

    [Fact]
    public async Task The_amenders_own_approval_never_counts_even_where_they_may_approve()
    {
        // olga is both an operator and an approver, trusted to sign amendments and approvals.
        using var olga = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        File.WriteAllText(Key("olga"), olga.ToUnencryptedPem());
        File.WriteAllText(Dir.Combine("olga.pub"), olga.PublicKey.ToPem());
        Ok("trust", "add", "--store", Store, "--name", "olga", "--public-key", Dir.Combine("olga.pub"), "--kind", "rollback-amendment,approval", "--key", Key("root"));
        var policy = File.ReadAllText(Dir.Combine("policy.yaml")).Replace("operators: [ops]", "operators: [ops, olga]", StringComparison.Ordinal)
            .Replace("approvers: [alice, carol, dave]", "approvers: [alice, carol, dave, olga]", StringComparison.Ordinal);
        File.WriteAllText(Dir.Combine("policy-olga.yaml"), policy);
        Ok("policy", "set", Dir.Combine("policy-olga.yaml"), "--store", Store, "--key", Key("root"));
        var (request, _) = FailedByItsRunbook();
        var amendment = Logged(Amend(request, key: "olga"));

        var byCommand = ApproveAmendment(request, amendment.LogIndex, "olga");
        await ApproveRawAsync(amendment, olga);
        Assert.Equal(ExitCodes.Ok, ApproveAmendment(request, amendment.LogIndex, "carol").ExitCode);
        var resumed = Resume(request);

        Assert.Equal(ExitCodes.VerificationFailed, byCommand.ExitCode);
        Assert.Contains("olga amended this runbook and may not approve", byCommand.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.VerificationFailed, resumed.ExitCode);
        Assert.Contains("1 of 2", resumed.Error, StringComparison.Ordinal);
        Assert.Contains("by olga is the amender's own", resumed.Error, StringComparison.Ordinal);
        Assert.Equal(["announced"], File.ReadAllLines(Out));
    }

    [Fact]
    public void Two_approvers_approve_the_amendment_the_resume_runs_it_and_the_evidence_names_them()
    {
        var (request, _) = FailedByItsRunbook();
        var amendment = Logged(Amend(request));

        Assert.Equal(ExitCodes.Ok, ApproveAmendment(request, amendment.LogIndex, "carol").ExitCode);
        var pending = Ok("rollback", "status", Id(request), "--store", Store, "--state", State).Out;
        Assert.Equal(ExitCodes.Ok, ApproveAmendment(request, amendment.LogIndex, "dave").ExitCode);
        var resumed = Resume(request);

        Assert.Contains($"amendment at log index {amendment.LogIndex} pending approval (1 of 2)", pending, StringComparison.Ordinal);
        Assert.True(resumed.ExitCode == ExitCodes.Ok, resumed.Error);
        Assert.Equal(["announced", "rolled"], File.ReadAllLines(Out));
        var (verified, summary) = ExportAndVerify(request);
        Assert.True(verified.ExitCode == ExitCodes.Ok, verified.Error);
        Assert.Contains("runbook amended after execution", summary, StringComparison.Ordinal);
        Assert.Contains("approved by carol, dave (2 of 2)", summary, StringComparison.Ordinal);
        Assert.Contains($"approval of amendment {amendment.LogIndex}", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_execution_logged_after_an_amendment_nobody_approved_fails_the_evidence_package()
    {
        var (request, _) = FailedByItsRunbook();
        var amendment = Logged(Amend(request));
        Assert.Equal(ExitCodes.Ok, ApproveAmendment(request, amendment.LogIndex, "carol").ExitCode);
        // An operator's key signs a completed run of the amended runbook, appended raw: no resume would have run it.
        var requestRef = StatementRef.Of(request, LogEntry(request));
        var failed = FailedExecution(requestRef).Predicate;
        var completed = failed with { Outcome = "completed", FailedStep = null };
        var execution = await AppendRawAsync(RequestStatement.About(requestRef, StatementKinds.Execution, completed), Keys["ops"]);

        var exported = Run("evidence", "export", Id(request), "--store", Store, "-o", Dir.Combine("evidence.zip"));

        Assert.Equal(ExitCodes.VerificationFailed, exported.ExitCode);
        Assert.Contains($"{execution:D8}-execution.dsse.json: ran the runbook as amended at log index {amendment.LogIndex}", exported.Error, StringComparison.Ordinal);
        Assert.Contains("1 of 2", exported.Error, StringComparison.Ordinal);
    }

    private CliRunner.Outcome ApproveAmendment(long request, long amendment, string person) =>
        Decide("approve", request, person, "--amendment", Id(amendment));

    private static StatementRef Logged(CliRunner.Outcome amended)
    {
        Assert.True(amended.ExitCode == ExitCodes.Ok, amended.Error);
        var json = JsonDocument.Parse(amended.Out).RootElement;
        return new StatementRef(json.GetProperty("logIndex").GetInt64(), json.GetProperty("digest").GetString()!);
    }

    // An approval of `subject` signed by `signer`, appended straight to the log: no command's role checks stand in the way.
    private Task<long> ApproveRawAsync(StatementRef subject, IBytesSigner signer) =>
        AppendRawAsync(new InTotoStatement([StatementSubjects.For("statement:", subject)], StatementKinds.PredicateType(StatementKinds.Approval),
            PredicateJson.Write(new ApprovalPredicate(subject, ApprovalDecision.Approve, [], null, "forged"))), signer);

    // An operator's amendment of `request`, naming the failed execution of `failed`: what `rollback amend` would refuse, appended raw.
    private async Task<StatementRef> AmendRawAsync(long request, long failed)
    {
        var requestRef = StatementRef.Of(request, LogEntry(request));
        var execution = FailedExecution(StatementRef.Of(failed, LogEntry(failed)));
        var corrected = File.ReadAllText(Runbook("1.0"));
        var predicate = new AmendmentPredicate(requestRef, execution.Ref, execution.Predicate.RunbookDigest, Digest(corrected), "borrowed", corrected);
        var statement = RequestStatement.About(requestRef, StatementKinds.RollbackAmendment, predicate);
        var index = await AppendRawAsync(statement, Keys["ops"]);
        return StatementRef.Of(index, LogEntry(index));
    }
}
