using System.Text.Json.Nodes;
using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Testing;
using Rollproof.Trust;

namespace Rollproof.Tests.Releases;

/// <summary>Trust is judged at the time the log vouches for, never at the time of verification or the record's say-so.</summary>
public sealed class ReleaseVerifierTests : IDisposable
{
    private static readonly DateTimeOffset LoggedAt = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly PrivateKey _ci = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
    private readonly ReleaseStore _store;

    public ReleaseVerifierTests()
    {
        _store = ReleaseStore.Init(_dir.Combine("store"), "log.example/releases", clock: new FixedClock(LoggedAt)).Value;
        File.WriteAllText(_dir.Combine("app.tar"), "artifact bytes");
        var draft = new ReleaseDraft("web", "1.0", [_dir.Combine("app.tar")], null, null, null, null, null, null);
        var published = _store.PublishAsync(draft, _ci, new FixedClock(LoggedAt)).GetAwaiter().GetResult();
        Assert.True(published.IsOk, published.IsOk ? "" : published.Problem.Message);
    }

    public void Dispose()
    {
        _ci.Dispose();
        _dir.Dispose();
    }

    // The log's key comes along from the store's trust: a verifier checks checkpoints only with a log key it holds.
    private TrustFile TrustCi(DateTimeOffset from, DateTimeOffset? until) =>
        TrustFile.Empty.With(new TrustedKey("ci", _ci.PublicKey, new HashSet<string>([ReleaseVerifier.Kind]), from, until))
            .With(_store.ReadTrust().Value.Keys.Single(k => k.Kinds.Contains(LogPublicKeys.Kind)));

    private Result<VerifiedRelease> Verify(TrustFile trust) =>
        ReleaseVerifier.VerifyAsync(_store, "web", "1.0", trust, _dir.Combine("seen")).GetAwaiter().GetResult();

    [Fact]
    public void A_key_since_rotated_out_still_vouches_for_what_it_signed_while_valid()
    {
        var verified = Verify(TrustCi(LoggedAt.AddMonths(-2), LoggedAt.AddMonths(1)));

        Assert.True(verified.IsOk, verified.IsOk ? "" : verified.Problem.Message);
        Assert.Equal(LoggedAt, verified.Value.Record.Logged!.Time);
    }

    [Fact]
    public void A_key_not_yet_valid_when_the_release_was_logged_does_not_vouch_for_it()
    {
        var verified = Verify(TrustCi(LoggedAt.AddSeconds(1), null));

        Assert.Equal(ErrorCodes.KeyNotTrusted, verified.Problem?.Code);
        Assert.Contains(LoggedAt.ToString("O"), verified.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_whose_logged_time_was_moved_into_the_keys_window_is_refused()
    {
        // The key became valid a day after the release was logged; backdating the record's time must not help.
        EditRecord(record => record["logged"]!["integratedTime"] = LoggedAt.AddDays(2).ToUnixTimeSeconds());

        var verified = Verify(TrustCi(LoggedAt.AddDays(1), null));

        Assert.Equal(ErrorCodes.EntryTimestampInvalid, verified.Problem?.Code);
    }

    [Fact]
    public void A_record_without_the_logs_timestamp_is_refused()
    {
        EditRecord(record => record.AsObject().Remove("logged"));

        var verified = Verify(TrustCi(LoggedAt.AddMonths(-2), null));

        Assert.Equal(ErrorCodes.EntryTimestampInvalid, verified.Problem?.Code);
    }

    [Fact]
    public async Task The_first_release_key_is_trusted_by_a_logged_key_change_and_no_other_key_after_it()
    {
        using var other = PrivateKey.Generate(KeyAlgorithm.Ed25519);
        var draft = new ReleaseDraft("web", "2.0", [_dir.Combine("app.tar")], null, null, null, null, null, null);
        var sizeBefore = _store.Log.ReadCheckpoint().Value.Checkpoint.Size;

        var second = await _store.PublishAsync(draft, other, new FixedClock(LoggedAt.AddDays(1)));

        var trust = _store.ReadTrust().Value;
        var ci = Assert.Single(trust.Keys, k => k.Kinds.Contains(ReleaseVerifier.Kind));
        Assert.Equal((_ci.PublicKey.KeyId, LoggedAt, 1L), (ci.Key.KeyId, ci.ValidFrom, ci.AddedAt));
        Assert.Equal(2, _store.Find("web", "1.0").Value.LogIndex);
        Assert.True(Verify(trust).IsOk);
        Assert.Equal(ErrorCodes.KeyNotTrusted, second.Problem?.Code);
        Assert.Equal(sizeBefore, _store.Log.ReadCheckpoint().Value.Checkpoint.Size);
        Assert.Equal(ErrorCodes.ReleaseNotFound, _store.Find("web", "2.0").Problem?.Code);
    }

    [Fact]
    public void A_release_named_by_log_index_and_digest_is_read_and_verified_from_the_log_whatever_its_record_says()
    {
        var named = Ref("1.0");
        EditRecord(record => record["envelopeDigest"] = "sha256:" + new string('0', 64));
        EditRecord(record => record.AsObject().Remove("logged"));

        var verified = VerifyLogged(named, "1.0", TrustCi(LoggedAt.AddMonths(-2), null));

        Assert.True(verified.IsOk, verified.IsOk ? "" : verified.Problem.Message);
        Assert.Equal(named.LogIndex, verified.Value.Record.LogIndex);
        Assert.Equal(named.Digest, verified.Value.Record.EnvelopeDigest);
        Assert.Equal(LoggedAt, verified.Value.Record.Logged!.Time);
        Assert.Equal("1.0", verified.Value.Predicate.Version);
    }

    [Fact]
    public void A_reference_whose_digest_is_not_the_logged_entrys_is_refused()
    {
        var verified = VerifyLogged(Ref("1.0") with { Digest = "sha256:" + new string('0', 64) }, "1.0", TrustCi(LoggedAt.AddMonths(-2), null));

        Assert.Equal(ErrorCodes.ReleaseMismatch, verified.Problem?.Code);
        Assert.Contains("hashes to", verified.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reference_to_another_versions_release_is_refused_for_this_version()
    {
        File.WriteAllText(_dir.Combine("app.tar"), "other bytes");
        Assert.True((await _store.PublishAsync(new ReleaseDraft("web", "1.1", [_dir.Combine("app.tar")], null, null, null, null, null, null), _ci, new FixedClock(LoggedAt))).IsOk);

        var verified = VerifyLogged(Ref("1.1"), "1.0", TrustCi(LoggedAt.AddMonths(-2), null));

        Assert.Equal(ErrorCodes.ReleaseMismatch, verified.Problem?.Code);
        Assert.Contains("holds a statement for web 1.1", verified.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_release_read_from_the_log_is_judged_by_the_trust_in_force_when_it_was_logged()
    {
        var verified = VerifyLogged(Ref("1.0"), "1.0", TrustCi(LoggedAt.AddSeconds(1), null));

        Assert.Equal(ErrorCodes.KeyNotTrusted, verified.Problem?.Code);
        Assert.Contains(LoggedAt.ToString("O"), verified.Problem!.Message, StringComparison.Ordinal);
    }

    private StatementRef Ref(string version)
    {
        var record = _store.Find("web", version).Value;
        return new StatementRef(record.LogIndex!.Value, record.EnvelopeDigest);
    }

    private Result<VerifiedRelease> VerifyLogged(StatementRef release, string version, TrustFile trust) =>
        ReleaseVerifier.VerifyLoggedAsync(_store, release, "web", version, trust, _dir.Combine("seen")).GetAwaiter().GetResult();

    private void EditRecord(Action<JsonNode> edit)
    {
        var path = Path.Combine(_store.Root, "releases", "web", "1.0.json");
        var record = JsonNode.Parse(File.ReadAllText(path))!;
        edit(record);
        File.WriteAllText(path, record.ToJsonString());
    }
}
