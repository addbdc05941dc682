using System.Diagnostics;

namespace Rollproof.Common;

/// <summary>How a shell command ended: its exit code (null if it ran out of time) and the end of its output.</summary>
public sealed record ShellOutcome(int? ExitCode, string Output, string Error);

/// <summary>Runs a command with <c>/bin/sh -c</c> within a time limit, keeping the last 4 KiB of each output stream.</summary>
public static class ShellCommand
{
    private const int MaxCaptured = 4096;

    public static async Task<ShellOutcome> RunAsync(string command, string workDirectory, TimeSpan timeout, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workDirectory };
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
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            return new ShellOutcome(null, "", "");
        }
        return new ShellOutcome(process.ExitCode, Tail(await output), Tail(await error));
    }

    private static string Tail(string text) => text.Length <= MaxCaptured ? text : "…" + text[^MaxCaptured..];
}
