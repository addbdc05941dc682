using System.Text;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Testing;
using Rollproof.Transparency;
using Rollproof.Transparency.Witnessing;

namespace Rollproof.Tests.Transparency.Witnessing;

/// <summary>Every answer C2SP tlog-witness defines for add-checkpoint, and the witness never cosigning two histories.</summary>
public sealed class WitnessTests : IDisposable
{
    private static readonly FixedClock Clock = new(DateTimeOffset.Parse("2026-12-01T00:00:00Z"));
    private readonly TempDirectory _dir = new();
    private readonly WitnessedLog _log = new();
    private readonly CosignatureV1Signer _cosigner = NoteKeys.GenerateCosigner("witness.example/w1", Clock);
    private WitnessStateDirectory _state;
    private Witness _witness;

    public WitnessTests()
    {
        _state = WitnessStateDirectory.Open(_dir.Combine("state")).Value;
        _witness = new Witness([_log.Key], _cosigner, _state);
    }

    public void Dispose()
    {
        _state.Dispose();
        _dir.Dispose();
    }

    private INoteVerifier WitnessKey => NoteKeys.ParseVerifierKey(_cosigner.VerifierKey).Value;

    private WitnessOutcome Add(byte[] body) => _witness.AddCheckpoint(body);

    [Fact]
    public void A_first_checkpoint_from_old_size_zero_is_cosigned_with_a_timestamped_cosignature_over_its_text()
    {
        var outcome = Add(_log.Request(0, 10));

        Assert.Equal(WitnessStatus.Cosigned, outcome.Status);
        var lines = Encoding.UTF8.GetString(outcome.Body);
        Assert.StartsWith("\u2014 witness.example/w1 ", lines, StringComparison.Ordinal);
        Assert.EndsWith("\n", lines, StringComparison.Ordinal);
        var cosigned = SignedNote.Parse(_log.Checkpoint(10).Text + "\n" + lines).Value.Open([WitnessKey]);
        Assert.True(cosigned.IsOk, cosigned.IsOk ? "" : cosigned.Problem.Message);
        Assert.Equal((ulong)Clock.GetUtcNow().ToUnixTimeSeconds(), CosignatureV1.Timestamp(cosigned.Value.Verified[0].Signature.Signature));
    }

    [Fact]
    public void A_later_checkpoint_with_a_consistency_proof_from_the_cosigned_size_is_cosigned()
    {
        Assert.Equal(WitnessStatus.Cosigned, Add(_log.Request(0, 10)).Status);
        Assert.Equal(WitnessStatus.Cosigned, Add(_log.Request(10, 37)).Status);
        Assert.Equal(WitnessStatus.Cosigned, Add(_log.Request(37, 37)).Status);
        Assert.Equal(WitnessStatus.Cosigned, Add(_log.Request(37, 64)).Status);
    }

    [Fact]
    public void An_old_size_other_than_the_cosigned_one_gets_409_with_that_size_as_text_x_tlog_size()
    {
        Add(_log.Request(0, 10));

        var outcome = Add(_log.Request(8, 20));

        Assert.Equal(WitnessStatus.Conflict, outcome.Status);
        Assert.Equal("text/x.tlog.size", outcome.ContentType);
        Assert.Equal("10\n", Encoding.ASCII.GetString(outcome.Body));
        Assert.Equal(ErrorCodes.WitnessSizeConflict, outcome.Problem?.Code);
        Assert.Equal("0\n", Encoding.ASCII.GetString(new Witness([_log.Key], _cosigner, new WitnessMemory()).AddCheckpoint(_log.Request(5, 20)).Body));
    }

    [Fact]
    public void A_checkpoint_of_an_unknown_origin_gets_404()
    {
        var other = new WitnessedLog("log.example/other");

        var outcome = Add(other.Request(0, 3));

        Assert.Equal(WitnessStatus.UnknownLog, outcome.Status);
        Assert.Equal(ErrorCodes.WitnessUnknownLog, outcome.Problem?.Code);
    }

    [Fact]
    public void A_checkpoint_signed_only_by_another_key_under_the_logs_name_gets_403()
    {
        var impostor = new WitnessedLog(_log.Signer.Name);

        var outcome = Add(impostor.Request(0, 3));

        Assert.Equal(WitnessStatus.Forbidden, outcome.Status);
        Assert.Equal(ErrorCodes.NoteNoTrustedSignature, outcome.Problem?.Code);
    }

    [Fact]
    public void A_checkpoint_whose_log_signature_does_not_verify_gets_403()
    {
        var signed = _log.Checkpoint(10);
        var forged = signed with { Signatures = [signed.Signatures[0] with { Signature = _log.Checkpoint(11).Signatures[0].Signature }] };

        var outcome = Add(_log.Request(0, 10, forged));

        Assert.Equal(WitnessStatus.Forbidden, outcome.Status);
        Assert.Equal(ErrorCodes.NoteSignatureInvalid, outcome.Problem?.Code);
    }

    [Fact]
    public void An_old_size_beyond_the_checkpoint_gets_400()
    {
        var outcome = Add(new AddCheckpointRequest(11, [], _log.Checkpoint(10).ToBytes()).ToBytes());

        Assert.Equal(WitnessStatus.Malformed, outcome.Status);
        Assert.Equal(ErrorCodes.WitnessRequestMalformed, outcome.Problem?.Code);
    }

    [Theory]
    [InlineData("old 0\n")]
    [InlineData("old 0\n\nnot a checkpoint\n")]
    [InlineData("")]
    public void A_malformed_body_gets_400(string body)
    {
        Assert.Equal(WitnessStatus.Malformed, Add(Encoding.UTF8.GetBytes(body)).Status);
    }

    [Fact]
    public void A_proof_that_does_not_verify_gets_422_and_nothing_is_recorded()
    {
        Add(_log.Request(0, 10));
        var proof = _log.Proofs.Consistency(10, 20).Value;
        proof[0] = MerkleHasher.LeafHash("tampered"u8);

        var outcome = Add(new AddCheckpointRequest(10, proof, _log.Checkpoint(20).ToBytes()).ToBytes());

        Assert.Equal(WitnessStatus.Unprocessable, outcome.Status);
        Assert.Equal(ErrorCodes.ConsistencyProofInvalid, outcome.Problem?.Code);
        Assert.Equal("10\n", Encoding.ASCII.GetString(Add(_log.Request(0, 20)).Body));
    }

    [Fact]
    public void A_proof_with_old_size_zero_gets_422()
    {
        var outcome = Add(new AddCheckpointRequest(0, [MerkleHasher.EmptyRoot()], _log.Checkpoint(10).ToBytes()).ToBytes());

        Assert.Equal(WitnessStatus.Unprocessable, outcome.Status);
    }

    [Fact]
    public void A_size_zero_checkpoint_must_have_the_empty_trees_root_or_gets_422()
    {
        var notEmpty = SignedNote.Sign(new Checkpoint(_log.Signer.Name, 0, MerkleHasher.LeafHash("x"u8)).ToText(), _log.Signer);
        var empty = SignedNote.Sign(new Checkpoint(_log.Signer.Name, 0, MerkleHasher.EmptyRoot()).ToText(), _log.Signer);

        Assert.Equal(WitnessStatus.Unprocessable, Add(_log.Request(0, 0, notEmpty)).Status);
        Assert.Equal(WitnessStatus.Cosigned, Add(_log.Request(0, 0, empty)).Status);
    }

    [Fact]
    public void A_split_view_is_never_cosigned_neither_at_the_same_size_nor_later()
    {
        var fork = _log.Fork(common: 1);
        Assert.Equal(WitnessStatus.Cosigned, Add(_log.Request(0, 20)).Status);

        var sameSize = Add(fork.Request(20, 20));
        var later = Add(new AddCheckpointRequest(20, fork.Proofs.Consistency(20, 30).Value, fork.Checkpoint(30).ToBytes()).ToBytes());

        Assert.Equal(WitnessStatus.Unprocessable, sameSize.Status);
        Assert.Equal(WitnessStatus.Unprocessable, later.Status);
    }

    [Fact]
    public void Concurrent_requests_from_the_same_old_size_get_one_cosignature_and_409s_never_a_rollback()
    {
        Add(_log.Request(0, 10));

        var outcomes = Enumerable.Range(11, 40).AsParallel().Select(size => (Size: size, Outcome: Add(_log.Request(10, size)))).ToList();

        var cosigned = Assert.Single(outcomes, o => o.Outcome.Status == WitnessStatus.Cosigned);
        Assert.All(outcomes.Where(o => o.Size != cosigned.Size), o => Assert.Equal(WitnessStatus.Conflict, o.Outcome.Status));
        Assert.Equal($"{cosigned.Size}\n", Encoding.ASCII.GetString(Add(_log.Request(0, 64)).Body));
    }

    [Fact]
    public void The_record_is_durable_a_new_witness_process_on_the_same_state_starts_from_the_cosigned_size()
    {
        Add(_log.Request(0, 25));
        Reopen();

        var outcome = Add(_log.Request(0, 30));

        Assert.Equal(WitnessStatus.Conflict, outcome.Status);
        Assert.Equal("25\n", Encoding.ASCII.GetString(outcome.Body));
        Assert.Equal(WitnessStatus.Cosigned, Add(_log.Request(25, 30)).Status);
    }

    [Fact]
    public void A_crash_between_the_check_and_the_record_gives_out_no_cosignature_and_lets_no_split_view_pass()
    {
        var fork = _log.Fork(common: 10);
        Add(_log.Request(0, 10));
        var crashing = new Witness([_log.Key], _cosigner, new CrashingState(_state));

        Assert.Throws<IOException>(() => crashing.AddCheckpoint(_log.Request(10, 20)));

        // The log's 20 was never cosigned, so the witness still stands at 10 and may cosign one history's 20, the
        // fork's here; the other history's 20 is then refused, in the restarted witness as in any later one.
        Reopen();
        Assert.Equal(WitnessStatus.Conflict, Add(_log.Request(0, 20)).Status);
        Assert.Equal(WitnessStatus.Cosigned, Add(fork.Request(10, 20)).Status);
        Assert.Equal(WitnessStatus.Unprocessable, Add(_log.Request(20, 20)).Status);
        Reopen();
        Assert.Equal(WitnessStatus.Unprocessable, Add(_log.Request(20, 20)).Status);
    }

    [Fact]
    public void A_second_witness_process_cannot_open_the_same_state()
    {
        var second = WitnessStateDirectory.Open(_dir.Combine("state"));

        Assert.Equal(ErrorCodes.WitnessStateUnusable, second.Problem?.Code);
    }

    [Fact]
    public void A_state_file_that_does_not_verify_stops_the_witness_instead_of_resetting_it_to_zero()
    {
        Add(_log.Request(0, 10));
        var file = Directory.GetFiles(_dir.Combine("state"), "*.checkpoint").Single();
        File.WriteAllBytes(file, SignedNote.Sign(_log.Tree(5).ToText(), NoteKeys.GenerateEd25519(_log.Signer.Name)).ToBytes());

        var outcome = Add(_log.Request(0, 10));

        Assert.Equal(WitnessStatus.Unavailable, outcome.Status);
        Assert.Equal(ErrorCodes.WitnessStateUnusable, outcome.Problem?.Code);
    }

    [Fact]
    public void The_latest_cosigned_checkpoint_is_served_by_origin_hash_with_the_log_and_witness_signatures()
    {
        Add(_log.Request(0, 10));

        var latest = _witness.Latest(WitnessStateDirectory.OriginHash(_log.Signer.Name));

        var note = SignedNote.Parse(latest.Value!).Value;
        Assert.Equal(_log.Checkpoint(10).Text, note.Text);
        Assert.Equal(2, note.Open([_log.Key, WitnessKey]).Value.Verified.Count);
        Assert.Null(_witness.Latest(new string('0', 64)).Value);
    }

    private void Reopen()
    {
        _state.Dispose();
        _state = WitnessStateDirectory.Open(_dir.Combine("state")).Value;
        _witness = new Witness([_log.Key], _cosigner, _state);
    }

    // The process dies after the checks pass and before the record is written: the write never happens.
    private sealed class CrashingState(IWitnessState inner) : IWitnessState
    {
        public Result<byte[]?> Read(string origin) => inner.Read(origin);

        public void Record(string origin, byte[] cosignedCheckpoint) => throw new IOException("power lost before the record was written");
    }
}
