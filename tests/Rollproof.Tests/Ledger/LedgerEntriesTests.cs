using System.Text.Json.Nodes;
using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Testing;

namespace Rollproof.Tests.Ledger;

/// <summary>How the ledger reads the log: kind, verified signer and the log's own time for each entry.</summary>
public sealed class LedgerEntriesTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly PrivateKey _ci = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
    private readonly ReleaseStore _store;

    public LedgerEntriesTests()
    {
        var trust = TrustFile.Empty.With(new TrustedKey("ci", _ci.PublicKey, new HashSet<string>([StatementKinds.Release]), Now.AddYears(-1), null));
        _store = ReleaseStore.Init(_dir.Combine("store"), "log.example/ledger", trust: trust, clock: new FixedClock(Now)).Value;
        File.WriteAllText(_dir.Combine("app.tar"), "app");
        var published = _store.PublishAsync(new ReleaseDraft("web", "1.0", [_dir.Combine("app.tar")], null, null, null, null, null, null), _ci, new FixedClock(Now), sigstoreBundle: true).GetAwaiter().GetResult();
        Assert.True(published.IsOk);
    }

    public void Dispose()
    {
        _ci.Dispose();
        _dir.Dispose();
    }

    private Result<LedgerEntry> Read(long index, TrustFile? trust = null) => LedgerEntries.Read(_store.Log, trust ?? _store.ReadTrust().Value, index, 3);

    [Fact]
    public void A_release_reads_with_its_trusted_signer_and_logged_time_and_a_rekor_body_as_other()
    {
        var release = Read(1).Value;
        var rekorBody = Read(2).Value;

        Assert.Equal((StatementKinds.Release, "ci", Now), (release.Kind, release.Signer, release.LoggedAt));
        Assert.Equal(_ci.PublicKey.KeyId, release.SignerKeyId);
        Assert.Equal(LedgerEntry.OtherKind, rekorBody.Kind);
        Assert.Null(rekorBody.Statement);
    }

    [Fact]
    public void A_signer_the_trust_file_does_not_name_is_left_unnamed()
    {
        var entry = Read(1, TrustFile.Empty).Value;

        Assert.Null(entry.Signer);
        Assert.Null(entry.SignerKeyId);
        Assert.False(entry.Counts);
        Assert.Equal("signed by no key of the trust file", entry.SetAside);
    }

    [Fact]
    public void A_timestamp_altered_beside_the_tiles_is_a_problem_not_a_different_time()
    {
        StoredTimestamps.Rewrite(_store.Log.Path, 1, text =>
        {
            var timestamp = JsonNode.Parse(text)!;
            timestamp["integratedTime"] = Now.AddDays(-30).ToUnixTimeSeconds();
            return timestamp.ToJsonString();
        });

        Assert.Equal(ErrorCodes.EntryTimestampInvalid, Read(1).Problem?.Code);
    }
}
