namespace Rollproof.Common;

/// <summary>Runs a command with <c>/bin/sh -c</c> within a time limit, keeping the last 4 KiB of each output stream.</summary>
public static class ShellCommand
{
    private const int MaxCaptured = 4096;

    public static async Task<ProgramOutcome> RunAsync(string command, string workDirectory, TimeSpan timeout, CancellationToken cancellation)
    {
        var ran = await ExternalProgram.RunAsync("/bin/sh", ["-c", command], timeout, cancellation, workDirectory);
        return ran with { Output = Tail(ran.Output), Error = Tail(ran.Error) };
    }

    private static string Tail(string text) => text.Length <= MaxCaptured ? text : "…" + text[^MaxCaptured..];
}
