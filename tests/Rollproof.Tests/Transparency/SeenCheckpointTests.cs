using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;
using Rollproof.Transparency;

namespace Rollproof.Tests.Transparency;

public class SeenCheckpointTests
{
    [Fact]
    public async Task A_growing_log_passes_and_a_rolled_back_or_forked_one_is_refused()
    {
        using var dir = new TempDirectory();
        var signer = await TestLogs.CreateAsync(dir.Combine("log"), 10);
        var storage = new FileSystemLogStorage(dir.Combine("log"));
        var verifier = TestLogs.Verifier(signer);
        var state = dir.Combine("seen");
        var ten = Checkpoint.Open(storage.Read("checkpoint")!, verifier).Value;
        Assert.Null(SeenCheckpoint.CheckExtends(state, verifier, ten.Checkpoint, Proofs(storage, 10)));
        SeenCheckpoint.Remember(state, ten.Note.ToBytes());

        await using (var writer = LogWriter.Open(storage, signer).Value)
            await writer.AppendAsync("more"u8.ToArray());
        var eleven = Checkpoint.Open(storage.Read("checkpoint")!, verifier).Value.Checkpoint;
        Assert.Null(SeenCheckpoint.CheckExtends(state, verifier, eleven, Proofs(storage, 11)));

        var forked = new Checkpoint(signer.Name, 11, MerkleHasher.LeafHash("fork"u8));
        Assert.Contains("not consistent", SeenCheckpoint.CheckExtends(state, verifier, forked, Proofs(storage, 11))?.Message, StringComparison.Ordinal);
        var older = new Checkpoint(signer.Name, 9, new ProofBuilder(new TileNodeSource(storage, 11)).Root(9));
        var rolledBack = SeenCheckpoint.CheckExtends(state, verifier, older, Proofs(storage, 11));
        Assert.Equal(ErrorCodes.CheckpointInconsistent, rolledBack?.Code);
        Assert.Contains("rolled back from size 10", rolledBack!.Message, StringComparison.Ordinal);
    }

    private static ProofBuilder Proofs(ILogStorage storage, long size) => new(new TileNodeSource(storage, size));
}
