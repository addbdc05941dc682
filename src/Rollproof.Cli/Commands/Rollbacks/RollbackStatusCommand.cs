using System.CommandLine;
using Rollproof.Common;
using Rollproof.Cli.Infrastructure;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Runbooks;

namespace Rollproof.Cli.Commands.Rollbacks;

internal static class RollbackStatusCommand
{
    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var request = RollbackCommand.Request();
        var state = RollbackCommand.State();
        var at = new Option<DateTimeOffset?>("--at") { Description = "Judge as of this time instead of now (expiries, review deadlines), e.g. for an audit date" };
        var json = CommonOptions.Json();
        var command = new Command("status", "Where a request stands (requested, approved, rejected, refused, executing at which step, completed, failed at which step, interrupted) with its times, and the policy's decision now, re-derived from the log: exactly which rule is still unmet. For an emergency, the review's deadline and whether it is overdue.")
        {
            store, request, state, at, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            var stateFile = parse.GetValue(state) ?? VerifierState.DefaultPath(opened.Value.Log.Config.Origin, opened.Value.Log.Verifier);
            TimeProvider clock = parse.GetValue(at) is { } when ? new FixedTime(when) : TimeProvider.System;
            var status = await RollbackDecisions.StatusAsync(opened.Value, parse.GetValue(request), stateFile, clock, cancellation);
            if (!status.IsOk)
                return cli.Fail(status.Problem, asJson);
            var (logged, decision, review) = status.Value;
            var progress = RequestProgressReader.Read(opened.Value, status.Value, clock.GetUtcNow());
            if (!progress.IsOk)
                return cli.Fail(progress.Problem, asJson);
            var r = logged.Predicate;
            if (asJson)
            {
                cli.WriteJson(new
                {
                    request = logged.Entry.Index, requester = logged.Entry.Signer, requestedAt = logged.Entry.LoggedAt, app = r.App, environment = r.Environment,
                    current = r.Current.Version, target = r.Target.Version, emergency = r.Emergency, risk = r.Risk.Level,
                    progress = ProgressOutput.Json(progress.Value),
                    decision = DecisionJson.Of(decision, review),
                });
                return ExitCodes.Ok;
            }
            cli.Out.WriteLine($"request {logged.Entry.Index} by {logged.Entry.Signer} at {logged.Entry.LoggedAt:O}: {r.App} in {r.Environment} from {r.Current.Version} to {r.Target.Version}, {r.Reason}, ticket {r.Ticket}, risk {r.Risk.Level.ToString().ToLowerInvariant()}{(r.Emergency ? ", emergency" : "")}");
            cli.Out.WriteLine($"state: {ProgressOutput.Text(progress.Value)}");
            DecisionText.Write(cli, decision, review);
            return ExitCodes.Ok;
        });
        return command;
    }
}
