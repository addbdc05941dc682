using Rollproof.Common;
using Rollproof.Fuzz.Seeds;
using Rollproof.Signing;
using Rollproof.Transparency.Witnessing;

namespace Rollproof.Fuzz.Targets;

/// <summary>
/// A witness for the sample log, fresh for every input (so an input's outcome does not depend on the ones before), fed
/// add-checkpoint bodies as a log or anyone on the network sends them.
/// </summary>
internal static class WitnessTarget
{
    private static readonly Lazy<CosignatureV1Signer> Cosigner = new(() => NoteKeys.GenerateCosigner("fuzz.example/witness", TimeProvider.System));

    public static byte[] Seed() => new AddCheckpointRequest(0, [], SampleLog.Instance.Checkpoint).ToBytes();

    public static void Run(byte[] input) =>
        GC.KeepAlive(new Witness([SampleLog.Instance.LogKey], Cosigner.Value, new State()).AddCheckpoint(input));

    private sealed class State : IWitnessState
    {
        private byte[]? _latest;

        public Result<byte[]?> Read(string origin) => Result<byte[]?>.Ok(_latest);

        public void Record(string origin, byte[] cosignedCheckpoint) => _latest = cosignedCheckpoint;
    }
}
