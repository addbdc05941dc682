using System.Diagnostics;
using Rollproof.Common;
using Rollproof.Storage;
using Rollproof.Transparency.Witnessing;

namespace Rollproof.Server.Witnessing;

/// <summary>
/// The log's side of <c>serve --witnesses</c>: the hook that has each checkpoint cosigned by the policy's witnesses
/// before it is published (fail closed: without the quorum it is withheld), and whether the quorum is missing now, for
/// <c>/readyz</c>.
/// </summary>
public sealed class LogWitnesses
{
    // One client for the server's life: the gatherer bounds each witness request itself, so none is set here.
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    private readonly CosignatureGatherer _gatherer;
    private volatile Problem? _quorumMissing;

    private LogWitnesses(CosignatureGatherer gatherer) => _gatherer = gatherer;

    /// <summary>Why the latest checkpoint the log tried to publish was withheld; null once one gathers its quorum.</summary>
    public Problem? QuorumMissing => _quorumMissing;

    /// <summary>The witnesses <paramref name="options"/> name, or null when the server publishes without any.</summary>
    public static LogWitnesses? For(ServerOptions options, TimeProvider clock) =>
        options.Witnesses is { } policy ? new LogWitnesses(new CosignatureGatherer(policy, Http, options.WitnessTimeout, clock)) : null;

    public Func<byte[], Task<Result<byte[]>>> Hook(LogDirectory log) => _gatherer.Hook(log.Storage, Report);

    private void Report(GatheredCheckpoint gathered)
    {
        if (gathered.QuorumMet)
        {
            _quorumMissing = null;
            return;
        }
        var why = string.Join("; ", gathered.Failures.Select(f => f.ToString()));
        _quorumMissing = new Problem(ErrorCodes.WitnessQuorumMissing, $"the witnesses' cosignatures do not meet the quorum, so the next checkpoint is withheld: {why}");
        Trace.TraceWarning($"checkpoint withheld without its witness quorum: {why}");
    }
}
