using System.Diagnostics;
using System.Globalization;
using Rollproof.Common;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// <c>uses: command</c>: runs <c>run</c> with <c>/bin/sh -c</c> after substituting the rollback's values (kubectl,
/// helm, a systemd unit, anything), within <c>timeout</c> (default 5m), capturing its exit code and the end of its
/// output as evidence. A non-zero exit or a timeout fails the step. The command is the team's to make idempotent.
/// </summary>
public sealed class CommandStep : IRunbookStep
{
    private const int MaxCaptured = 4096;

    public string Uses => "command";

    public string Describe(IReadOnlyDictionary<string, string> parameters, StepContext context) =>
        $"sh -c '{Templates.Apply(parameters.GetValueOrDefault("run", ""), context.Values)}' (timeout {parameters.GetValueOrDefault("timeout", "5m")})";

    public async Task<StepOutcome> RunAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, CancellationToken cancellation)
    {
        if (!parameters.TryGetValue("run", out var template))
            return StepOutcome.Failed("a command step needs 'run'");
        if (Templates.Unknown(template, context.Values) is [_, ..] unknown)
            return StepOutcome.Failed($"'run' uses values no rollback has: {string.Join(", ", unknown)}");
        if ((parameters.TryGetValue("timeout", out var t) ? Durations.Parse(t) : TimeSpan.FromMinutes(5)) is not { } timeout)
            return StepOutcome.Failed($"timeout '{t}' is not a duration ({Durations.Rule})");
        var command = Templates.Apply(template, context.Values);
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = context.WorkDirectory };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellation);
        var error = process.StandardError.ReadToEndAsync(cancellation);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return StepOutcome.Failed($"'{command}' did not finish within {timeout}");
        }
        var evidence = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["command"] = command,
            ["exitCode"] = process.ExitCode.ToString(CultureInfo.InvariantCulture),
            ["stdout"] = Tail(await output),
            ["stderr"] = Tail(await error),
        };
        return process.ExitCode == 0
            ? StepOutcome.Done($"'{command}' succeeded", evidence)
            : StepOutcome.Failed($"'{command}' exited with {process.ExitCode}: {Tail(await error)}", evidence);
    }

    private static string Tail(string text) => text.Length <= MaxCaptured ? text : "…" + text[^MaxCaptured..];
}
