using System.Diagnostics;

namespace Rollproof.Common;

/// <summary>How a program ended: its exit code (null if it ran out of time, and was killed) and what it wrote.</summary>
public sealed record ProgramOutcome(int? ExitCode, string Output, string Error);

/// <summary>
/// Runs a program with its arguments passed as a list (never through a shell unless the program is one), reading
/// both output streams to the end, within a time limit; a program still running at the limit is killed with its
/// children. A program that cannot be started throws <see cref="System.ComponentModel.Win32Exception"/>.
/// </summary>
public static class ExternalProgram
{
    public static async Task<ProgramOutcome> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellation, string? workDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workDirectory is not null)
            start.WorkingDirectory = workDirectory;
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellation);
        var error = process.StandardError.ReadToEndAsync(cancellation);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            return new ProgramOutcome(null, "", "");
        }
        return new ProgramOutcome(process.ExitCode, await output, await error);
    }
}
