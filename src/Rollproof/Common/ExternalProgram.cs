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
/// time limit, in a session and process group of its own (started through <c>setsid</c>), so that a timeout or a
/// cancellation ends the whole group: grandchildren included, even those that left its process tree. Both output
/// streams are read as they come and kept within <c>maxCaptured</c> bytes each (head and tail; see
/// <see cref="BoundedCapture"/>), and what was captured is returned also when the time ran out. A program that cannot
/// be found throws <see cref="Win32Exception"/>.
/// </summary>
public static class ExternalProgram
{
    public const int DefaultMaxCaptured = 64 << 10;
    private const int SigKill = 9;

    // After the group is killed, the pipes close at once unless a process that left the group holds them: read what
    // is left for this long, then return without it.
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(2);

    public static async Task<ProgramOutcome> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellation, string? workDirectory = null, IReadOnlyDictionary<string, string>? environment = null, int maxCaptured = DefaultMaxCaptured)
    {
        // setsid, not being started as a group leader, makes the session in place and execs the program: the pid
        // .NET knows is the group's id.
        var start = new ProcessStartInfo("setsid") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(Locate(program));
        if (workDirectory is not null)
            start.WorkingDirectory = workDirectory;
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = new BoundedCapture(maxCaptured);
        var error = new BoundedCapture(maxCaptured);
        var reading = Task.WhenAll(output.ReadToEndAsync(process.StandardOutput.BaseStream), error.ReadToEndAsync(process.StandardError.BaseStream));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
            await reading.WaitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Posix.Signal(-process.Id, SigKill);
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAny(reading, Task.Delay(Drain, CancellationToken.None));
            cancellation.ThrowIfCancellationRequested();
            return Outcome(null, output, error);
        }
        return Outcome(process.ExitCode, output, error);
    }

    private static ProgramOutcome Outcome(int? exitCode, BoundedCapture output, BoundedCapture error) =>
        new(exitCode, output.ToString(), error.ToString()) { OutputCut = output.Cut, ErrorCut = error.Cut };

    // The program's path as execvp would find it, so that a missing program fails here, as Process.Start would fail,
    // rather than as setsid's exit code.
    private static string Locate(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal))
            return File.Exists(program) ? program : throw new Win32Exception(2, $"{program} does not exist");
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new Win32Exception(2, $"{program} is not on the PATH");
    }
}
