using Rollproof.Common;
using Rollproof.Storage;

namespace Rollproof.Runbooks;

/// <summary>
/// Fault injection for crash trials. With <c>ROLLPROOF_CRASH_AT</c> set to a point's name, the process kills itself
/// with SIGKILL on reaching it, ending exactly as kill -9 or a power cut would end it there. <c>step-done:ID</c> is the
/// worst moment of a step: its work is done and its end not yet journaled, so a resume runs it again and it must not
/// do its work twice. <c>run-done</c> is after the last step's end is journaled and before the execution is logged.
/// </summary>
internal static class CrashPoint
{
    private const int SigKill = 9;
    private static readonly string? Armed = Environment.GetEnvironmentVariable("ROLLPROOF_CRASH_AT");

    public static void StepDone(string step) => Reach("step-done:" + step);

    public static void RunDone() => Reach("run-done");

    private static void Reach(string point)
    {
        if (!string.Equals(Armed, point, StringComparison.Ordinal))
            return;
        Posix.Signal(Environment.ProcessId, SigKill);
        Thread.Sleep(Timeout.Infinite);
    }
}
