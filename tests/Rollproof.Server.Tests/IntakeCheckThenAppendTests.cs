using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Trust;

namespace Rollproof.Server.Tests;

/// <summary>
/// The window between a submission's check and its append (<see cref="StatementIntake"/>): a key revoked after dave's
/// approval passed its checks, but before it is appended, must keep it out of the log. The revocation is made from the
/// intake's own seam between the two, so the interleaving is the same on every run.
/// </summary>
public sealed class IntakeCheckThenAppendTests
{
    [Fact]
    public async Task A_key_revoked_between_a_statements_check_and_its_append_keeps_it_out_of_the_log()
    {
        using var team = new RemoteTeam();
        var (store, request) = await StoppedServerRequest.FileAsync(team);
        var dave = store.ReadTrust().Value.Keys.Single(k => k.Name == "dave");
        var revocation = KeyChangeStatement.Of(new KeyChangePredicate(KeyChangePredicate.Revoke, "dave", dave.Key.ToPem(), [.. dave.Kinds.Order(StringComparer.Ordinal)], dave.ValidFrom, dave.ValidUntil, DateTimeOffset.UtcNow))
            .Sign(team.Keys["root"]).ToJson();
        var revoked = Result<SubmittedStatement>.Fail(ErrorCodes.InputMissing, "the seam between check and append never ran");
        StatementIntake intake = null!;
        intake = new StatementIntake(store, TimeProvider.System, team.Dir.Combine("intake-state"))
        {
            AfterCheck = async cancellation => revoked = await intake.SubmitAsync(revocation, cancellation: cancellation),
        };
        using var disposing = intake;
        var approval = new InTotoStatement([StatementSubjects.For("statement:", request)], StatementKinds.PredicateType(StatementKinds.Approval),
            PredicateJson.Write(new Rollbacks.ApprovalPredicate(request, Rollbacks.Policy.ApprovalDecision.Approve, [], null, "checked before the revocation"))).Sign(team.Keys["dave"]).ToJson();

        var submitted = await intake.SubmitAsync(approval);

        Assert.True(revoked.IsOk, $"the revocation was not logged: {(revoked.IsOk ? null : revoked.Problem)}");
        Assert.False(submitted.IsOk, $"dave's approval was logged at {(submitted.IsOk ? submitted.Value.Index : -1)}, after his key was revoked at {revoked.Value.Index}");
        Assert.Equal(ErrorCodes.KeyNotTrusted, submitted.Problem.Code);
        Assert.Equal(revoked.Value.Index + 1, store.Log.ReadCheckpoint().Value.Checkpoint.Size);
    }
}
