using System.Globalization;
using Rollproof.Common;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// <c>uses: command</c>: runs <c>run</c> with <c>/bin/sh -c</c> after substituting the rollback's values (kubectl,
/// helm, a systemd unit, anything), within <c>timeout</c> (default 5m), capturing its exit code and the first and last
/// 4 KiB of each output stream as evidence, also when it times out. A non-zero exit or a timeout fails the step. Its
/// output lines go to <see cref="StepContext.OnOutput"/> as they come (the engine shows them and puts their tail in a
/// failure's message). The command is the team's to make idempotent.
/// </summary>
public sealed class CommandStep : IRunbookStep
{
    public string Uses => "command";

    public string Describe(IReadOnlyDictionary<string, string> parameters, StepContext context) =>
        $"sh -c '{Templates.Apply(parameters.GetValueOrDefault("run", ""), context.Values)}' (timeout {parameters.GetValueOrDefault("timeout", "5m")})";

    public async Task<StepOutcome> RunAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, CancellationToken cancellation)
    {
        if (!parameters.TryGetValue("run", out var template))
            return StepOutcome.Failed("a command step needs 'run'");
        if (Templates.Unknown(template, context.Values) is [_, ..] unknown)
            return StepOutcome.Failed($"'run' uses values no rollback has: {string.Join(", ", unknown)}");
        var timeout = StepParameters.Duration(parameters, "timeout", TimeSpan.FromMinutes(5));
        if (!timeout.IsOk)
            return StepOutcome.Failed(timeout.Problem.Message);
        var command = Templates.Apply(template, context.Values);
        var ran = await ShellCommand.RunAsync(command, context.WorkDirectory, timeout.Value, cancellation, context.OnOutput);
        var evidence = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["command"] = command,
            ["exitCode"] = ran.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "timeout",
            ["stdout"] = ran.Output,
            ["stderr"] = ran.Error,
        };
        if (ran.ExitCode is not { } exitCode)
            return StepOutcome.Failed($"'{command}' did not finish within {timeout.Value}, and its process group was killed", evidence);
        return exitCode == 0
            ? StepOutcome.Done($"'{command}' succeeded", evidence)
            : StepOutcome.Failed($"'{command}' exited with {exitCode}", evidence);
    }
}
