using System.Text;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;
using Rollproof.Transparency;

namespace Rollproof.Tests.Transparency;

public class TlogProofTests
{
    [Fact]
    public async Task A_receipt_round_trips_and_verifies_offline_under_a_witness_policy()
    {
        using var dir = new TempDirectory();
        var signer = await TestLogs.CreateAsync(dir.Path, 300);
        var witness = NoteKeys.GenerateCosigner("w.example", new FixedClock(DateTimeOffset.UnixEpoch.AddDays(20000)));
        var storage = new FileSystemLogStorage(dir.Path);
        var cosigned = SignedNote.Parse(storage.Read("checkpoint")!).Value.AddSignatures(witness).ToBytes();
        var proof = new ProofBuilder(new TileNodeSource(storage, 300)).Inclusion(123, 300).Value;
        var receipt = new TlogProof(123, proof, cosigned, Extra: "context"u8.ToArray()).Format();
        var policy = TlogPolicy.Parse(Encoding.UTF8.GetBytes($"log {signer.VerifierKey}\nwitness w {witness.VerifierKey}\nquorum w\n")).Value;

        var parsed = TlogProof.Parse(Encoding.UTF8.GetBytes(receipt)).Value;
        var verified = parsed.Verify(MerkleHasher.LeafHash(TestLogs.Entry(123)), policy);

        Assert.True(verified.IsOk, verified.Problem?.ToString());
        Assert.Equal(["w"], verified.Value.Cosigners);
        Assert.Equal(receipt, parsed.Format());
        Assert.StartsWith("c2sp.org/tlog-proof@v1\nextra Y29udGV4dA==\nindex 123\n", receipt, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.ReceiptInvalid, parsed.Verify(MerkleHasher.LeafHash(TestLogs.Entry(124)), policy).Problem?.Code);
        Assert.Equal(ErrorCodes.ReceiptInvalid, (parsed with { Index = 124 }).Verify(MerkleHasher.LeafHash(TestLogs.Entry(123)), policy).Problem?.Code);
        var unwitnessed = parsed with { SignedCheckpoint = storage.Read("checkpoint")! };
        Assert.Equal(ErrorCodes.QuorumNotMet, unwitnessed.Verify(MerkleHasher.LeafHash(TestLogs.Entry(123)), policy).Problem?.Code);
    }

    [Theory]
    [InlineData("c2sp.org/tlog-proof@v2\nindex 1\n\nx", "line 1 must be")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 01\n\nx", "leading zeroes")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex -1\n\nx", "index '-1'")]
    [InlineData("c2sp.org/tlog-proof@v1\nextra !!\nindex 1\n\nx", "extra data is not valid base64")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 1\nAAAA\n\nx", "line 3: not a base64 SHA-256 hash")]
    [InlineData("c2sp.org/tlog-proof@v1\nhashes\n\nx", "line 2 must be 'index <n>'")]
    [InlineData("c2sp.org/tlog-proof@v1\nindex 1\n", "no blank line")]
    public void Malformed_receipts_are_rejected_with_the_line(string text, string detail)
    {
        var result = TlogProof.Parse(Encoding.UTF8.GetBytes(text));
        Assert.Equal(ErrorCodes.ReceiptMalformed, result.Problem?.Code);
        Assert.Contains(detail, result.Problem!.Message, StringComparison.Ordinal);
    }
}
