namespace Rollproof.Common;

/// <summary>
/// Runs a command with <c>/bin/sh -c</c> within a time limit (see <see cref="ExternalProgram"/>: its own process
/// group, ended whole on a timeout), keeping the first and last 4 KiB of each output stream.
/// </summary>
public static class ShellCommand
{
    public const int MaxCaptured = 8 << 10;

    public static Task<ProgramOutcome> RunAsync(string command, string workDirectory, TimeSpan timeout, CancellationToken cancellation, Action<OutputChannel, string>? onOutput = null) =>
        ExternalProgram.RunAsync("/bin/sh", ["-c", command], timeout, cancellation, workDirectory, maxCaptured: MaxCaptured, onOutput: onOutput);
}
