using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Sigstore.Rekor;
using Rollproof.Testing;
using Rollproof.Transparency;
using static Rollproof.Testing.RekorProposals;

namespace Rollproof.Tests.Sigstore;

/// <summary>
/// The Rekor v1 API over a real store's log: entries logged beside Rollproof statements, answered with proofs that
/// verify against the checkpoint, found by index and UUID whatever happens to the index, and never read as statements.
/// </summary>
public sealed class RekorLogTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly PrivateKey _ci = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
    private readonly ECDsa _signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ReleaseStore _store;
    private readonly RekorEntryIndex _index;
    private readonly RekorLog _rekor;

    public RekorLogTests()
    {
        var trust = TrustFile.Empty.With(new TrustedKey("ci", _ci.PublicKey, new HashSet<string>([StatementKinds.Release]), Now.AddYears(-1), null));
        _store = ReleaseStore.Init(_dir.Combine("store"), "log.example/rekor", trust: trust, clock: new FixedClock(Now)).Value;
        File.WriteAllText(_dir.Combine("app.tar"), "app");
        // Entries 0 (trust anchor), 1 (release) and 2 (its bundle's Rekor dsse body) come before any Rekor entry.
        Assert.True(_store.PublishAsync(new ReleaseDraft("web", "1.0", [_dir.Combine("app.tar")], null, null, null, null, null, null), _ci, new FixedClock(Now), sigstoreBundle: true).GetAwaiter().GetResult().IsOk);
        _index = RekorEntryIndex.For(_store.Log);
        _rekor = new RekorLog(_store.Log, _index, (body, _) => _store.Log.AppendAsync(body, new FixedClock(Now)));
    }

    public void Dispose()
    {
        _index.Dispose();
        _signer.Dispose();
        _ci.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_logged_hashedrekord_is_answered_with_a_timestamp_and_a_proof_to_the_signed_checkpoint()
    {
        var created = (await _rekor.CreateAsync(Bytes(HashedRekord(_signer, "a"u8.ToArray())))).Value;

        var entry = Single(created.Entry, out var entryId);
        var body = Convert.FromBase64String(entry["body"]!.GetValue<string>());
        var index = entry["logIndex"]!.GetValue<long>();
        var proof = entry["verification"]!["inclusionProof"]!;
        var checkpoint = Checkpoint.Open(Encoding.UTF8.GetBytes(proof["checkpoint"]!.GetValue<string>()), _store.Log.Verifier).Value.Checkpoint;
        var hashes = proof["hashes"]!.AsArray().Select(h => Convert.FromHexString(h!.GetValue<string>())).ToList();
        var timestamp = new SignedEntryTimestamp(entry["integratedTime"]!.GetValue<long>(), Convert.FromBase64String(entry["verification"]!["signedEntryTimestamp"]!.GetValue<string>()));
        Assert.False(created.Existed);
        Assert.Equal(3, index);
        Assert.Equal(_rekor.Identity.EntryId(MerkleHasher.LeafHash(body)), entryId);
        Assert.Equal((checkpoint.Size, Convert.ToHexStringLower(checkpoint.RootHash)), (proof["treeSize"]!.GetValue<long>(), proof["rootHash"]!.GetValue<string>()));
        Assert.Null(MerkleProofs.VerifyInclusion(index, checkpoint.Size, MerkleHasher.LeafHash(body), hashes, checkpoint.RootHash));
        Assert.Null(timestamp.Verify(_store.Log.Verifier, body, index));
        Assert.Equal(Now.ToUnixTimeSeconds(), timestamp.IntegratedTime);
        Assert.Equal(Convert.ToHexStringLower(_rekor.Identity.LogId), entry["logID"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_entry_proposed_again_is_answered_as_existing_and_not_logged_twice()
    {
        var proposal = Bytes(HashedRekord(_signer, "a"u8.ToArray()));
        var first = (await _rekor.CreateAsync(proposal)).Value;

        var again = (await _rekor.CreateAsync(proposal)).Value;

        Assert.True(again.Existed);
        Assert.Equal(first.EntryId, again.EntryId);
        Assert.Equal(4, _store.Log.ReadCheckpoint().Value.Checkpoint.Size);
    }

    [Fact]
    public void A_release_bundles_logged_body_is_a_rekor_entry_found_by_uuid()
    {
        var bundleBody = LogEntries.Read(_store.Log.Storage, 2, 3).Value;

        var found = _rekor.ByEntryId(Convert.ToHexStringLower(MerkleHasher.LeafHash(bundleBody))).Value;

        Assert.Equal(2, Single(found.Entry, out _)["logIndex"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_entry_is_found_by_index_uuid_and_entry_id_alike()
    {
        var created = (await _rekor.CreateAsync(Bytes(HashedRekord(_signer, "a"u8.ToArray())))).Value;

        var byIndex = _rekor.ByIndex(3).Value;
        var byEntryId = _rekor.ByEntryId(created.EntryId).Value;
        var byUuid = _rekor.ByEntryId(created.EntryId[16..]).Value;

        Assert.Equal(80, created.EntryId.Length);
        Assert.All([byIndex, byEntryId, byUuid], answer => Assert.Equal(created.Entry.ToJsonString(), answer.Entry.ToJsonString()));
    }

    [Theory]
    [InlineData(1, "RP2803")]
    [InlineData(0, "RP2803")]
    [InlineData(99, "RP2803")]
    [InlineData(-1, "RP2803")]
    public void A_rollproof_statement_or_an_index_outside_the_log_is_no_rekor_entry(long index, string code)
    {
        Assert.Equal(code, _rekor.ByIndex(index).Problem?.Code);
    }

    [Theory]
    [InlineData("abc", "RP2801")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "RP2803")]
    [InlineData("ffffffffffffffff0000000000000000000000000000000000000000000000000000000000000000", "RP2803")]
    public void An_unknown_or_malformed_entry_id_names_nothing(string entryId, string code)
    {
        Assert.Equal(code, _rekor.ByEntryId(entryId).Problem?.Code);
    }

    [Fact]
    public async Task An_entry_in_another_tree_is_not_found_here()
    {
        var created = (await _rekor.CreateAsync(Bytes(HashedRekord(_signer, "a"u8.ToArray())))).Value;
        var otherTree = (_rekor.Identity.TreeId ^ 1).ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + created.EntryId[16..];

        Assert.Equal(ErrorCodes.RekorEntryNotFound, _rekor.ByEntryId(otherTree).Problem?.Code);
    }

    [Fact]
    public async Task A_deleted_index_is_rebuilt_from_the_log_and_a_falsified_one_is_not_believed()
    {
        var a = (await _rekor.CreateAsync(Bytes(HashedRekord(_signer, "a"u8.ToArray())))).Value;
        var b = (await _rekor.CreateAsync(Bytes(HashedRekord(_signer, "b"u8.ToArray())))).Value;
        Assert.True(_rekor.ByEntryId(b.EntryId).IsOk, "a lookup indexes both");
        _index.Dispose();
        using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_store.Log.StateFile("rekor.db")};Pooling=false"))
        {
            db.Open();
            using var swap = db.CreateCommand();
            // Point a's UUID at b's index, and forget b.
            swap.CommandText = "DELETE FROM rekor WHERE uuid = $b; UPDATE rekor SET idx = 4 WHERE uuid = $a;";
            swap.Parameters.AddWithValue("$a", Convert.FromHexString(a.EntryId[16..]));
            swap.Parameters.AddWithValue("$b", Convert.FromHexString(b.EntryId[16..]));
            Assert.Equal(2, swap.ExecuteNonQuery());
        }
        using var reopened = RekorEntryIndex.For(_store.Log);
        var rekor = new RekorLog(_store.Log, reopened, (body, _) => throw new InvalidOperationException("nothing is appended here"));

        Assert.Equal(3, Single(rekor.ByEntryId(a.EntryId).Value.Entry, out _)["logIndex"]!.GetValue<long>());
        Assert.Equal(4, Single(rekor.ByEntryId(b.EntryId).Value.Entry, out _)["logIndex"]!.GetValue<long>());

        File.Delete(_store.Log.StateFile("rekor.db"));
        using var rebuilt = RekorEntryIndex.For(_store.Log);
        Assert.Equal(4, Single(new RekorLog(_store.Log, rebuilt, (_, _) => throw new InvalidOperationException()).ByEntryId(b.EntryId).Value.Entry, out _)["logIndex"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_release_statement_proposed_as_a_dsse_entry_is_logged_as_a_rekor_body_that_the_ledger_reads_as_other()
    {
        var release = DsseEnvelope.Parse(LogEntries.Read(_store.Log.Storage, 1, 3).Value).Value;
        var payload = JsonNode.Parse(release.Payload)!;
        payload["predicate"]!["version"] = "6.6.6";
        var envelope = Encoding.UTF8.GetString(DsseEnvelope.Sign(release.PayloadType, Encoding.UTF8.GetBytes(payload.ToJsonString()), _ci).ToJson());

        var created = (await _rekor.CreateAsync(Bytes(Dsse(envelope, _ci.PublicKey.ToPem())))).Value;

        var index = Single(created.Entry, out _)["logIndex"]!.GetValue<long>();
        var read = LedgerEntries.Read(_store.Log, _store.ReadTrust().Value, index, index + 1).Value;
        Assert.Equal(LedgerEntry.OtherKind, read.Kind);
        Assert.Null(read.Statement);
        Assert.False(read.Counts);
    }

    [Fact]
    public async Task A_refused_proposal_appends_nothing()
    {
        var proposal = HashedRekord(_signer, "a"u8.ToArray());
        proposal["spec"]!["data"]!["hash"]!["value"] = Convert.ToHexStringLower(SHA256.HashData("b"u8));

        var refused = await _rekor.CreateAsync(Bytes(proposal));

        Assert.Equal(ErrorCodes.RekorSignatureInvalid, refused.Problem?.Code);
        Assert.Equal(3, _store.Log.ReadCheckpoint().Value.Checkpoint.Size);
    }

    [Fact]
    public async Task Retrieve_answers_the_entries_found_by_uuid_and_index_and_leaves_out_the_rest()
    {
        var a = (await _rekor.CreateAsync(Bytes(HashedRekord(_signer, "a"u8.ToArray())))).Value;
        var search = new JsonObject { ["entryUUIDs"] = new JsonArray(a.EntryId, new string('0', 64)), ["logIndexes"] = new JsonArray(2, 1, 50) };

        var found = _rekor.Retrieve(Bytes(search)).Value;

        Assert.Equal([3L, 2L], found.Select(e => Single(e!.AsObject(), out _)["logIndex"]!.GetValue<long>()));
    }

    [Theory]
    [InlineData("{\"hash\":\"sha256:00\"}", "hash")]
    [InlineData("{}", "entryUUIDs")]
    [InlineData("{\"logIndexes\":[\"1\"]}", "logIndexes")]
    [InlineData("{\"logIndexes\":[0,1,2,3,4,5,6,7,8,9,10]}", "entryUUIDs")]
    [InlineData("{\"other\":1}", "(the search).other")]
    public void A_bad_retrieve_request_is_refused_naming_the_field(string request, string field)
    {
        var problem = _rekor.Retrieve(Encoding.UTF8.GetBytes(request)).Problem!;

        Assert.Equal(ErrorCodes.RekorEntryMalformed, problem.Code);
        Assert.StartsWith(field + ":", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_log_info_is_the_verified_checkpoint()
    {
        var info = _rekor.Info().Value;

        var checkpoint = _store.Log.ReadCheckpoint().Value;
        Assert.Equal(3, info["treeSize"]!.GetValue<long>());
        Assert.Equal(Convert.ToHexStringLower(checkpoint.Checkpoint.RootHash), info["rootHash"]!.GetValue<string>());
        Assert.Equal(Encoding.UTF8.GetString(checkpoint.Note.ToBytes()), info["signedTreeHead"]!.GetValue<string>());
        Assert.Equal(_rekor.Identity.TreeId.ToString(System.Globalization.CultureInfo.InvariantCulture), info["treeID"]!.GetValue<string>());
    }

    private static JsonObject Single(JsonObject answer, out string entryId)
    {
        var member = Assert.Single(answer);
        entryId = member.Key;
        return member.Value!.AsObject();
    }
}
