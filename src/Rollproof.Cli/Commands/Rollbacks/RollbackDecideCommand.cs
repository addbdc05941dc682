using System.CommandLine;
using Rollproof.Cli.Commands.Ledger;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;

namespace Rollproof.Cli.Commands.Rollbacks;

internal static class RollbackDecideCommand
{
    public static Command Create(CliContext cli, string name, ApprovalDecision decision)
    {
        var store = CommonOptions.Store(cli);
        var request = RollbackCommand.Request();
        var conditions = new Option<string[]>("--condition") { Description = "A condition the approval comes with (repeatable), e.g. 'only after the 18:00 freeze'", AllowMultipleArgumentsPerToken = false };
        var expiresIn = DurationOptions.Create("--expires-in", "Stop counting this approval after this long", Durations.ApprovalExpiry);
        var comment = new Option<string?>("--comment") { Description = "Why, for the record" };
        var amendment = new Option<long?>("--amendment") { Description = "Decide on this runbook amendment of the request (its log index, printed by 'rollback amend') instead of the request itself" };
        var signer = new SignerOptions();
        var json = CommonOptions.Json();
        var command = new Command(name, decision == ApprovalDecision.Approve
            ? "Approve a rollback request with your own key. The approval binds the request's digest, so it cannot be replayed onto another request; you must be an approver in the policy the request was made under, and not its requester. With --amendment INDEX, approve an operator's runbook amendment of the request instead (bound to the amendment's digest; never by its amender)."
            : "Reject a rollback request with your own key: one valid rejection by an approver of the policy the request was made under rejects it, whatever approvals it has. The rejection binds the request's digest, so it cannot be replayed onto another request; say why with --comment. With --amendment INDEX, reject an operator's runbook amendment of the request instead.")
        {
            store, request, amendment, conditions, expiresIn, comment, json,
        };
        SignedCommand.SetAction(command, cli, store, signer, json, async (parse, opened, key, asJson, cancellation) =>
        {
            DateTimeOffset? expires = null;
            if (parse.GetValue(expiresIn) is { } text)
                expires = TimeProvider.System.GetUtcNow() + Durations.Parse(text, Durations.ApprovalExpiry).Value;
            var logged = parse.GetValue(amendment) is { } amended
                ? await ApprovalLedger.DecideOnAmendmentAsync(opened, parse.GetValue(request), amended, decision, parse.GetValue(conditions) ?? [], expires, parse.GetValue(comment), key, TimeProvider.System, cancellation)
                : await ApprovalLedger.DecideOnRequestAsync(opened, parse.GetValue(request), decision, parse.GetValue(conditions) ?? [], expires, parse.GetValue(comment), key, TimeProvider.System, cancellation);
            if (!logged.IsOk)
                return cli.Fail(logged.Problem, asJson);
            IndexAccess.CatchUpAfterAppend(opened, cli);
            if (asJson)
                cli.WriteJson(new { logIndex = logged.Value.Ref.LogIndex, digest = logged.Value.Ref.Digest, loggedAt = logged.Value.Timestamp.Time, request = parse.GetValue(request), amendment = parse.GetValue(amendment), decision = name, expiresAt = expires });
            else
                cli.Out.WriteLine($"logged {(decision == ApprovalDecision.Approve ? "approval" : "rejection")} of {(parse.GetValue(amendment) is { } a ? $"amendment {a} of " : "")}request {parse.GetValue(request)}: log index {logged.Value.Ref.LogIndex}{(expires is { } e ? $", expires {e:O}" : "")}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
