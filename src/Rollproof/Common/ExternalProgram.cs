using System.ComponentModel;
using System.Diagnostics;

namespace Rollproof.Common;

/// <summary>
/// How a program ended: its exit code (null if it ran out of time, and was killed) and what it wrote, each stream
/// within the bound it ran with (<see cref="OutputCut"/> and <see cref="ErrorCut"/> bytes left out of the middle).
/// </summary>
public sealed record ProgramOutcome(int? ExitCode, string Output, string Error)
{
    public long OutputCut { get; init; }

    public long ErrorCut { get; init; }
}

/// <summary>
/// Runs a program with its arguments passed as a list (never through a shell unless the program is one), within a
/// time limit, in a session and process group of its own (<see cref="ProcessGroups.StartInNewSession"/>), so that a timeout or a
/// cancellation ends the whole group: grandchildren included, even those that left its process tree. Both output
/// streams are read as they come and kept within <c>maxCaptured</c> bytes each (head and tail; see
/// <see cref="BoundedCapture"/>), and what was captured is returned also when the time ran out. A program that cannot
/// be found throws <see cref="Win32Exception"/>. Given <c>onOutput</c>, every line of either stream is passed on as it
/// arrives, for a person to watch the program work. Cancelled (an operator's Ctrl-C), the group is asked to stop
/// (SIGTERM) and killed only if it has not within <see cref="StopGrace"/>; it is gone when the cancellation is thrown.
/// </summary>
public static class ExternalProgram
{
    public const int DefaultMaxCaptured = 64 << 10;
    private const int SigKill = 9;

    // After the group is killed, the pipes close at once unless a process that left the group holds them: read what
    // is left for this long, then return without it.
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(2);

    /// <summary>How long a cancelled program's group has to end on SIGTERM before it is killed.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    public static async Task<ProgramOutcome> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellation, string? workDirectory = null, IReadOnlyDictionary<string, string>? environment = null, int maxCaptured = DefaultMaxCaptured, Action<OutputChannel, string>? onOutput = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        if (workDirectory is not null)
            start.WorkingDirectory = workDirectory;
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        // The group leader's pid is the group's id, so the kill below reaches everything the program started.
        using var process = ProcessGroups.StartInNewSession(start);
        process.StandardInput.Close();
        var output = new BoundedCapture(maxCaptured);
        var error = new BoundedCapture(maxCaptured);
        var reading = Task.WhenAll(
            output.ReadToEndAsync(process.StandardOutput.BaseStream, Lines(onOutput, OutputChannel.Stdout)),
            error.ReadToEndAsync(process.StandardError.BaseStream, Lines(onOutput, OutputChannel.Stderr)));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
            await reading.WaitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            if (cancellation.IsCancellationRequested)
                await ProcessGroups.StopAsync(process.Id, StopGrace, CancellationToken.None);
            else
                Posix.Signal(-process.Id, SigKill);
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAny(reading, Task.Delay(Drain, CancellationToken.None));
            cancellation.ThrowIfCancellationRequested();
            return Outcome(null, output, error);
        }
        return Outcome(process.ExitCode, output, error);
    }

    private static OutputLines? Lines(Action<OutputChannel, string>? onOutput, OutputChannel stream) =>
        onOutput is null ? null : new OutputLines(line => onOutput(stream, line));

    private static ProgramOutcome Outcome(int? exitCode, BoundedCapture output, BoundedCapture error) =>
        new(exitCode, output.ToString(), error.ToString()) { OutputCut = output.Cut, ErrorCut = error.Cut };
}
