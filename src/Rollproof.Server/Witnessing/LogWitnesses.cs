using System.Diagnostics;
using Rollproof.Storage;
using Rollproof.Transparency.Witnessing;

namespace Rollproof.Server.Witnessing;

/// <summary>The log's side: the hook that has each checkpoint cosigned by the witnesses of <c>serve --witnesses</c> before it is served.</summary>
internal static class LogWitnesses
{
    // One client for the server's life: the gatherer's own deadline bounds each round, so none is set here.
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public static Func<byte[], Task<byte[]>>? Cosign(ServerOptions options, LogDirectory log) =>
        options.Witnesses is { } policy
            ? new CosignatureGatherer(policy, Http, options.WitnessTimeout).Hook(log.Storage, Report)
            : null;

    // A checkpoint without its quorum is still published (the log keeps serving), and said so: verifiers holding the
    // policy will refuse it until a later checkpoint gathers the quorum.
    private static void Report(GatheredCheckpoint gathered)
    {
        if (!gathered.QuorumMet)
            Trace.TraceWarning($"checkpoint published without its witness quorum: {string.Join("; ", gathered.Failures.Select(f => f.ToString()))}");
    }
}
