using Rollproof.Common;

namespace Rollproof.Runbooks;

/// <summary>
/// Fault injection for crash trials, armed only by the test build's host (tests/Rollproof.CrashHost) through
/// <see cref="Arm"/>; the shipped command never arms it, so nothing it reads can make it kill itself. Once armed with a
/// point's name, the process kills itself with SIGKILL on reaching it, ending exactly as kill -9 or a power cut would
/// end it there. <c>step-done:ID</c> is the worst moment of a step: its work is done and its end not yet journaled, so
/// a resume runs it again and it must not do its work twice. <c>run-done</c> is after the last step's end is journaled
/// and before the execution is logged.
/// </summary>
internal static class CrashPoint
{
    private const int SigKill = 9;
    private static string? _armed;

    /// <summary>Arms the point named <paramref name="point"/> for the rest of the process's life (null: none).</summary>
    public static void Arm(string? point) => _armed = point;

    public static void StepDone(string step) => Reach("step-done:" + step);

    public static void RunDone() => Reach("run-done");

    private static void Reach(string point)
    {
        if (!string.Equals(_armed, point, StringComparison.Ordinal))
            return;
        Posix.Signal(Environment.ProcessId, SigKill);
        Thread.Sleep(Timeout.Infinite);
    }
}
