using System.CommandLine;
using Rollproof.Cli.Commands.Ledger;
using Rollproof.Cli.Infrastructure;
using Rollproof.Rollbacks;

namespace Rollproof.Cli.Commands.Rollbacks;

internal static class RollbackReviewCommand
{
    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var request = RollbackCommand.Request();
        var outcome = new Option<string>("--outcome") { Description = "accepted or follow-up-needed", Required = true };
        outcome.AcceptOnlyFromAmong([.. ReviewPredicate.Outcomes]);
        var comment = new Option<string>("--comment") { Description = "What the review found", Required = true };
        var signer = new SignerOptions();
        var json = CommonOptions.Json();
        var command = new Command("review", "Review an emergency rollback after the fact, as one of the policy's reviewers other than the requester; 'rollback status' reports a review that is overdue.")
        {
            store, request, outcome, comment, json,
        };
        SignedCommand.SetAction(command, cli, store, signer, json, async (parse, opened, key, asJson, cancellation) =>
        {
            var logged = await ApprovalLedger.ReviewAsync(opened, parse.GetValue(request), parse.GetValue(outcome)!, parse.GetValue(comment)!, key, TimeProvider.System, cancellation);
            if (!logged.IsOk)
                return cli.Fail(logged.Problem, asJson);
            IndexAccess.CatchUpAfterAppend(opened, cli);
            if (asJson)
                cli.WriteJson(new { logIndex = logged.Value.Ref.LogIndex, digest = logged.Value.Ref.Digest, loggedAt = logged.Value.Timestamp.Time, request = parse.GetValue(request) });
            else
                cli.Out.WriteLine($"logged review of request {parse.GetValue(request)}: log index {logged.Value.Ref.LogIndex}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
