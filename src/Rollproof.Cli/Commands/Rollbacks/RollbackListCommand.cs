using System.CommandLine;
using Rollproof.Common;
using Rollproof.Cli.Infrastructure;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Runbooks;

namespace Rollproof.Cli.Commands.Rollbacks;

internal static class RollbackListCommand
{
    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var env = new Option<string?>("--env") { Description = "Only requests for this environment" };
        var overdue = new Option<bool>("--overdue") { Description = "Only emergencies whose after-the-fact review is overdue (exit 1 if there are any, for monitoring)" };
        var state = RollbackCommand.State();
        var at = new Option<DateTimeOffset?>("--at") { Description = "Judge as of this time instead of now" };
        var json = CommonOptions.Json();
        var command = new Command("list", "Every rollback request with where it stands (requested, approved n of m, rejected, executing at which step, completed, failed at which step, interrupted) and its times, and for emergencies, where the review stands") { store, env, overdue, state, at, json };
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            // From the log, not the index: a deleted index row must not hide a request or an overdue review.
            var view = LedgerView.Open(opened.Value);
            var environment = parse.GetValue(env);
            var found = view.IsOk ? view.Value.Statements<RollbackRequestPredicate>(StatementKinds.RollbackRequest, environment: environment) : view.Problem;
            if (!found.IsOk)
                return cli.Fail(found.Problem, asJson);
            var requests = found.Value.Counted.Where(r => environment is null || r.Predicate.Environment == environment).Select(r => r.Entry.Index);
            var stateFile = parse.GetValue(state) ?? VerifierState.DefaultPath(opened.Value.Log.Config.Origin, opened.Value.Log.Verifier);
            TimeProvider clock = parse.GetValue(at) is { } when ? new FixedTime(when) : TimeProvider.System;
            var rows = new List<(RequestStatus Status, RequestProgress Progress)>();
            foreach (var request in requests)
            {
                var status = await RollbackDecisions.StatusAsync(opened.Value, request, stateFile, clock, cancellation);
                var progress = status.IsOk ? RequestProgressReader.Read(view.Value, status.Value, clock.GetUtcNow()) : status.Problem;
                if (!progress.IsOk)
                    return cli.Fail(progress.Problem with { Message = $"request {request}: {progress.Problem.Message}" }, asJson);
                if (!parse.GetValue(overdue) || status.Value.Review is { Overdue: true })
                    rows.Add((status.Value, progress.Value));
            }
            if (asJson)
                cli.WriteJson(rows.Select(row => Json(row.Status, row.Progress)));
            else if (rows.Count == 0)
                cli.Out.WriteLine(parse.GetValue(overdue) ? "no overdue reviews" : "no rollback requests");
            else
                foreach (var (r, p) in rows)
                    cli.Out.WriteLine($"{r.Request.Entry.Index,6}  {r.Request.Predicate.Environment,-10} {r.Request.Predicate.App} {r.Request.Predicate.Current.Version} -> {r.Request.Predicate.Target.Version}  {ProgressOutput.Text(p)}"
                        + (r.Review is { } review ? review.ReviewedAt is null ? $"  review due {review.Due:O}{(review.Overdue ? " OVERDUE" : "")}" : $"  reviewed by {review.Reviewer} at {review.ReviewedAt:O}" : ""));
            return parse.GetValue(overdue) && rows.Count > 0 ? ExitCodes.VerificationFailed : ExitCodes.Ok;
        });
        return command;
    }

    private static object Json(RequestStatus r, RequestProgress progress) => new
    {
        request = r.Request.Entry.Index, requester = r.Request.Entry.Signer, requestedAt = r.Request.Entry.LoggedAt, app = r.Request.Predicate.App,
        environment = r.Request.Predicate.Environment, current = r.Request.Predicate.Current.Version, target = r.Request.Predicate.Target.Version,
        emergency = r.Request.Predicate.Emergency, status = r.Decision.Status.ToString().ToLowerInvariant(), unmet = r.Decision.Unmet.Select(u => u.Rule),
        progress = ProgressOutput.Json(progress), review = DecisionJson.Review(r.Review),
    };
}
