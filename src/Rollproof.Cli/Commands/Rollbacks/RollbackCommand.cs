using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Rollbacks.Policy;

namespace Rollproof.Cli.Commands.Rollbacks;

internal static class RollbackCommand
{
    public static Command Create(CliContext cli) => new("rollback", "Governed rollbacks: request with a rationale, ticket and security analysis; approve or reject under the environment's policy; see the decision; review emergencies after the fact")
    {
        RollbackRequestCommand.Create(cli),
        RollbackDecideCommand.Create(cli, "approve", ApprovalDecision.Approve),
        RollbackDecideCommand.Create(cli, "reject", ApprovalDecision.Reject),
        RollbackStatusCommand.Create(cli),
        RollbackReviewCommand.Create(cli),
        RollbackListCommand.Create(cli),
        RollbackExecuteCommand.Create(cli, resume: false),
        RollbackExecuteCommand.Create(cli, resume: true),
        RollbackUnlockCommand.Create(cli),
    };

    public static Argument<long> Request() => new("REQUEST") { Description = "The rollback request's log index (printed by 'rollback request')" };

    public static Option<string?> State() => new("--state") { Description = "This verifier's memory of the last checkpoint it saw (default: ~/.config/rollproof/seen/, per log)" };
}
