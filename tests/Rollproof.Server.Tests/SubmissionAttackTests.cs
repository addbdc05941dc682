using System.Net;
using System.Text;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Trust;

namespace Rollproof.Server.Tests;

/// <summary>One served team store for the submission attacks, with a rollback request filed through the server.</summary>
public sealed class SubmissionServer : IAsyncLifetime
{
    public RemoteTeam Team { get; } = new();

    public ServeProcess Server { get; private set; } = null!;

    /// <summary>alice's request to roll prod back to 1.0.</summary>
    public StatementRef Request { get; private set; } = null!;

    /// <summary>doc-signer 1.0 as the server's log holds it.</summary>
    public StatementRef Release { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServeProcess.StartAsync(Team.Store, Team.ServeOptions);
        var index = Team.FileRequest(Team.Server(Server.Url), Team.Dir.Combine("seen"));
        var store = Releases.ReleaseStore.Open(Team.Store).Value;
        Request = StatementRef.Of(index, Transparency.LogEntries.Read(store.Log.Storage, index, store.Log.ReadCheckpoint().Value.Checkpoint.Size).Value);
        var release = store.Find("doc-signer", "1.0").Value;
        Release = new StatementRef(release.LogIndex!.Value, release.EnvelopeDigest);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Team.Dispose();
    }

    /// <summary>A deployment of doc-signer 1.0 to prod, as 'deploy record' signs it (tool tells the statements apart), or of another release.</summary>
    public InTotoStatement Deployment(string tool, StatementRef? release = null)
    {
        var named = release ?? Release;
        var predicate = new DeploymentPredicate("prod", "doc-signer", "1.0", named, tool);
        return new InTotoStatement([new Subject("release:doc-signer@1.0", new Dictionary<string, string> { ["sha256"] = named.Digest["sha256:".Length..] })], StatementKinds.PredicateType(StatementKinds.Deployment), PredicateJson.Write(predicate));
    }

    /// <summary>An approval of <paramref name="subject"/>, unsigned.</summary>
    public static InTotoStatement Approval(StatementRef subject) =>
        new([StatementSubjects.For("statement:", subject)], StatementKinds.PredicateType(StatementKinds.Approval), PredicateJson.Write(new Rollbacks.ApprovalPredicate(subject, Rollbacks.Policy.ApprovalDecision.Approve, [], null, "attack test")));
}

/// <summary>
/// <c>POST /api/rollproof/v1/entries</c> and <c>PUT /api/rollproof/v1/blobs/…</c> attacked as the issue describes:
/// junk never enters the log, and every refusal is a 4xx problem+json that names what is wrong.
/// </summary>
public sealed class SubmissionAttackTests(SubmissionServer served) : IClassFixture<SubmissionServer>
{
    private HttpClient Http => served.Server.Http;

    private ServedSubmissions Submissions => new(Http, served.Team);

    [Fact]
    public async Task A_statement_signed_by_a_key_the_trust_does_not_hold_is_refused()
    {
        using var mallory = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        // mallory holds no token: she borrows ops's, and the signature is what is refused.
        await AssertRefusedAsync(Deployment("mallory").Sign(mallory).ToJson(), "ops", HttpStatusCode.Forbidden, ErrorCodes.KeyNotTrusted, "$.signatures");
    }

    [Fact]
    public async Task A_key_signing_a_kind_it_may_not_sign_is_refused()
    {
        // ci may sign releases, not deployments; carol may approve, not change who is trusted.
        await AssertRefusedAsync(Deployment("ci").Sign(served.Team.Keys["ci"]).ToJson(), "ci", HttpStatusCode.Forbidden, ErrorCodes.KeyNotTrusted, "deployment");
        var change = KeyChangeStatement.Of(new KeyChangePredicate(KeyChangePredicate.Add, "carol-2", served.Team.Keys["ci"].PublicKey.ToPem(), [KnownKinds.Approval], DateTimeOffset.UnixEpoch, null, null));
        await AssertRefusedAsync(change.Sign(served.Team.Keys["carol"]).ToJson(), "carol", HttpStatusCode.Forbidden, ErrorCodes.KeyNotTrusted, "key change would not count");
    }

    [Fact]
    public async Task What_the_CLI_would_refuse_to_sign_the_server_refuses_to_log()
    {
        // alice asked for the rollback: she may not approve it, though her key may sign approvals and the policy lists her.
        await AssertRefusedAsync(Approval(served.Request).Sign(served.Team.Keys["alice"]).ToJson(), "alice", HttpStatusCode.Forbidden, ErrorCodes.RoleNotHeld, "no self-approval");
        // carol may approve the request, but only as the log holds it.
        var altered = served.Request with { Digest = "sha256:" + new string('1', 64) };
        await AssertRefusedAsync(Approval(altered).Sign(served.Team.Keys["carol"]).ToJson(), "carol", HttpStatusCode.BadRequest, ErrorCodes.RequestInvalid, "$.payload.predicate.subject");
        // ops may record deployments, of a release the log holds.
        var unpublished = new StatementRef(served.Release.LogIndex, "sha256:" + new string('2', 64));
        await AssertRefusedAsync(Deployment("forged", unpublished).Sign(served.Team.Keys["ops"]).ToJson(), "ops", HttpStatusCode.BadRequest, ErrorCodes.ReleaseMismatch, "$.payload.predicate.release");
    }

    [Fact]
    public async Task A_replayed_statement_is_logged_once()
    {
        var envelope = Deployment("replayed").Sign(served.Team.Keys["ops"]).ToJson();

        var first = await SubmitAsync(envelope, "ops");
        var size = await RemoteTeam.LogSizeAsync(Http);
        var replayed = await SubmitAsync(envelope, "ops");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        var index = Index(await first.Content.ReadAsStringAsync());
        Assert.Equal(index, Index(await replayed.Content.ReadAsStringAsync()));
        Assert.Equal(size, await RemoteTeam.LogSizeAsync(Http));
    }

    [Fact]
    public async Task The_answer_carries_the_index_the_timestamp_and_a_proof_that_verifies_against_the_log_key()
    {
        var envelope = Deployment("answered").Sign(served.Team.Keys["ops"]).ToJson();

        using var answer = JsonDocument.Parse(await (await SubmitAsync(envelope, "ops")).Content.ReadAsStringAsync());

        var root = answer.RootElement;
        var receipt = Transparency.TlogProof.Parse(Encoding.UTF8.GetBytes(root.GetProperty("tlogProof").GetString()!)).Value;
        var logKey = NoteKeys.ParseVerifierKey(served.Team.LogKey).Value;
        var checkpoint = Transparency.Checkpoint.Open(receipt.SignedCheckpoint, logKey).Value.Checkpoint;
        Assert.Equal(root.GetProperty("index").GetInt64(), receipt.Index);
        Assert.Null(Transparency.MerkleProofs.VerifyInclusion(receipt.Index, checkpoint.Size, Transparency.MerkleHasher.LeafHash(envelope), receipt.InclusionProof, checkpoint.RootHash));
        var stamp = new Transparency.SignedEntryTimestamp(root.GetProperty("signedEntryTimestamp").GetProperty("integratedTime").GetInt64(), root.GetProperty("signedEntryTimestamp").GetProperty("signature").GetBytesFromBase64());
        Assert.Null(stamp.Verify(logKey, envelope, receipt.Index));
        Assert.Equal("ops", root.GetProperty("signer").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_statement_signed_by_one_members_key_is_refused_with_another_members_token()
    {
        // dave's approval of alice's request is one the log takes, but only from dave's token: not carol's.
        var approval = Approval(served.Request).Sign(served.Team.Keys["dave"]).ToJson();

        await AssertRefusedAsync(approval, "carol", HttpStatusCode.Forbidden, ErrorCodes.ActorMayNotSign, "the token of 'carol'");
        using var own = await SubmitAsync(approval, "dave");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Theory]
    [InlineData("oversized")]
    [InlineData("not-json")]
    [InlineData("not-canonical")]
    [InlineData("not-rollproof")]
    public async Task A_malformed_or_oversized_envelope_is_refused_naming_what_is_wrong(string shape)
    {
        var ops = served.Team.Keys["ops"];
        var canonical = Deployment("malformed").Sign(ops).ToJson();
        var (body, status, code, field) = shape switch
        {
            "oversized" => (new byte[70_000], HttpStatusCode.RequestEntityTooLarge, ErrorCodes.InputTooLarge, "envelope"),
            "not-json" => ("{\"payloadType\":"u8.ToArray(), HttpStatusCode.BadRequest, ErrorCodes.EnvelopeMalformed, "envelope"),
            "not-canonical" => (Encoding.UTF8.GetBytes(" " + Encoding.UTF8.GetString(canonical)), HttpStatusCode.BadRequest, ErrorCodes.EnvelopeMalformed, "canonical"),
            _ => (new InTotoStatement([new Subject("x", new Dictionary<string, string> { ["sha256"] = new string('a', 64) })], "https://example.com/other/v1", JsonDocument.Parse("{}").RootElement).Sign(ops).ToJson(),
                HttpStatusCode.BadRequest, ErrorCodes.EnvelopeMalformed, "$.payload.predicateType"),
        };
        await AssertRefusedAsync(body, "ops", status, code, field);
    }

    [Fact]
    public async Task A_blob_whose_bytes_do_not_match_its_digest_is_refused_and_kept_nowhere()
    {
        var bytes = Encoding.UTF8.GetBytes($"blob {Guid.NewGuid()}");
        var named = Sha256Digest.Of(bytes);
        var other = Sha256Digest.Of([.. bytes, (byte)'!']);

        using var mismatch = await SendAsync(HttpMethod.Put, $"api/rollproof/v1/blobs/{other}", "ci", new ByteArrayContent(bytes));
        using var missing = await SendAsync(HttpMethod.Get, $"api/rollproof/v1/blobs/{other}", RemoteTeam.Auditor);
        using var stored = await SendAsync(HttpMethod.Put, $"api/rollproof/v1/blobs/{named}", "ci", new ByteArrayContent(bytes));
        using var again = await SendAsync(HttpMethod.Put, $"api/rollproof/v1/blobs/{named}", "ci", new ByteArrayContent(bytes));
        using var read = await SendAsync(HttpMethod.Get, $"api/rollproof/v1/blobs/{named}", RemoteTeam.Auditor);
        using var badName = await SendAsync(HttpMethod.Put, "api/rollproof/v1/blobs/sha256:XYZ", "ci", new ByteArrayContent(bytes));

        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Contains("not to the", await mismatch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(bytes, await read.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Contains("digest:", await badName.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task AssertRefusedAsync(byte[] body, string person, HttpStatusCode status, string code, string named) => Submissions.AssertRefusedAsync(body, person, status, code, named);

    private Task<HttpResponseMessage> SubmitAsync(byte[] envelope, string person) => Submissions.SubmitAsync(envelope, person);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string person, HttpContent? body = null) => Submissions.SendAsync(method, path, person, body);

    private static long Index(string answer) => JsonDocument.Parse(answer).RootElement.GetProperty("index").GetInt64();

    private InTotoStatement Deployment(string tool, StatementRef? release = null) => served.Deployment(tool, release);

    private static InTotoStatement Approval(StatementRef subject) => SubmissionServer.Approval(subject);
}
