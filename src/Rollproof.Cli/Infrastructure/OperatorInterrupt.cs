using System.Runtime.InteropServices;

namespace Rollproof.Cli.Infrastructure;

/// <summary>
/// Turns the operator's Ctrl-C (SIGINT) or a SIGTERM into a cancellation the run can clean up after, instead of the
/// process ending mid-step: the signal's default action is cancelled while this is held. A second signal does the
/// same, so a run is never cut short in the middle of stopping its step.
/// </summary>
internal sealed class OperatorInterrupt : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public OperatorInterrupt(CancellationToken outer)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _source.Dispose();
    }

    private void Cancel(PosixSignalContext context)
    {
        context.Cancel = true;
        _source.Cancel();
    }
}
