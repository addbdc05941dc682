using System.Text;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Testing;
using Rollproof.Transparency;
using Rollproof.Trust;

namespace Rollproof.Tests.Releases;

/// <summary>
/// A verifier holding a tlog-policy that requires witnesses relies only on a checkpoint its quorum cosigned: the log
/// alone, a cosigner the policy does not know, or a cosignature lifted from another checkpoint do not make one.
/// </summary>
public sealed class WitnessedReleaseVerifierTests : IDisposable
{
    private static readonly DateTimeOffset LoggedAt = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly PrivateKey _ci = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
    private readonly CosignatureV1Signer _w1 = NoteKeys.GenerateCosigner("witness.example/w1", new FixedClock(LoggedAt));
    private readonly CosignatureV1Signer _w2 = NoteKeys.GenerateCosigner("witness.example/w2", new FixedClock(LoggedAt));
    private readonly ReleaseStore _store;
    private readonly SignedNote _checkpoint;

    public WitnessedReleaseVerifierTests()
    {
        _store = ReleaseStore.Init(_dir.Combine("store"), "log.example/releases", clock: new FixedClock(LoggedAt)).Value;
        File.WriteAllText(_dir.Combine("app.tar"), "artifact bytes");
        var draft = new ReleaseDraft("web", "1.0", [_dir.Combine("app.tar")], null, null, null, null, null, null);
        Assert.True(_store.PublishAsync(draft, _ci, new FixedClock(LoggedAt)).GetAwaiter().GetResult().IsOk);
        _checkpoint = _store.Log.ReadCheckpoint().Value.Note;
    }

    public void Dispose()
    {
        _ci.Dispose();
        _dir.Dispose();
    }

    private TrustFile Trust =>
        TrustFile.Empty.With(new TrustedKey("ci", _ci.PublicKey, new HashSet<string>([ReleaseVerifier.Kind]), LoggedAt.AddDays(-1), null))
            .With(_store.ReadTrust().Value.Keys.Single(k => k.Kinds.Contains(LogPublicKeys.Kind)));

    private TlogPolicy BothWitnesses => TlogPolicy.Parse(Encoding.UTF8.GetBytes(
        $"log {_store.Log.Config.VerifierKey}\nwitness w1 {_w1.VerifierKey}\nwitness w2 {_w2.VerifierKey}\ngroup both all w1 w2\nquorum both\n")).Value;

    private Result<VerifiedRelease> VerifyWith(SignedNote published)
    {
        _store.Log.Storage.ReplaceCheckpoint(published.ToBytes());
        var anchor = LogAnchor.FromTrust(Trust, _store.Log.Config.Origin).Value with { Witnesses = BothWitnesses };
        return ReleaseVerifier.VerifyAsync(_store, "web", "1.0", Trust, anchor, _dir.Combine("seen")).GetAwaiter().GetResult();
    }

    [Fact]
    public void A_checkpoint_cosigned_by_the_quorum_is_relied_on()
    {
        var verified = VerifyWith(_checkpoint.AddSignatures(_w1, _w2));

        Assert.True(verified.IsOk, verified.IsOk ? "" : verified.Problem.Message);
    }

    [Fact]
    public void A_checkpoint_with_too_few_cosignatures_fails_naming_who_cosigned_and_what_was_needed()
    {
        var verified = VerifyWith(_checkpoint.AddSignatures(_w1));

        Assert.Equal(ErrorCodes.QuorumNotMet, verified.Problem?.Code);
        Assert.Contains("quorum 'both' is not met: 2 of (w1, w2); cosigned by w1", verified.Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("log.example/releases", verified.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_logs_signature_alone_does_not_count_as_witnessed()
    {
        var verified = VerifyWith(_checkpoint);

        Assert.Equal(ErrorCodes.QuorumNotMet, verified.Problem?.Code);
        Assert.Contains("cosigned by no witness", verified.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cosignature_by_a_key_the_policy_does_not_know_is_not_counted()
    {
        // Same name as w2, another key: whoever holds it is not the witness the verifier trusts.
        var impostor = NoteKeys.GenerateCosigner("witness.example/w2", new FixedClock(LoggedAt));

        var verified = VerifyWith(_checkpoint.AddSignatures(_w1, impostor));

        Assert.Equal(ErrorCodes.QuorumNotMet, verified.Problem?.Code);
        Assert.Contains("cosigned by w1", verified.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cosignature_made_over_a_different_checkpoint_fails_closed()
    {
        var other = SignedNote.Sign(new Checkpoint(_store.Log.Config.Origin, 99, MerkleHasher.EmptyRoot()).ToText(), _w2);
        var lifted = _checkpoint.AddSignatures(_w1) with { Signatures = [.. _checkpoint.AddSignatures(_w1).Signatures, other.Signatures[0]] };

        var verified = VerifyWith(lifted);

        Assert.Equal(ErrorCodes.NoteSignatureInvalid, verified.Problem?.Code);
        Assert.Contains("witness.example/w2", verified.Problem!.Message, StringComparison.Ordinal);
    }
}
