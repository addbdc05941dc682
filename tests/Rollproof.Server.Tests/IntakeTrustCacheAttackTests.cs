using System.Net;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Trust;

namespace Rollproof.Server.Tests;

/// <summary>
/// The intake reuses what it worked out for earlier submissions (the trust file found to agree with the log, signatures
/// of checkpoints already verified, the state derived at a checkpoint): a change to the trust, through the log or by
/// hand on disk, must count from the very next submission. Each step first makes the server read the trust it is about
/// to change: a submission by carol's key with dave's token passes the trust and is refused only as not dave's.
/// </summary>
public sealed class IntakeTrustCacheAttackTests(SubmissionServer served) : IClassFixture<SubmissionServer>
{
    private ServedSubmissions Submissions => new(served.Server.Http, served.Team);

    private string TrustPath => Path.Combine(served.Team.Store, "trust.json");

    [Fact]
    public async Task A_key_revoked_through_the_server_is_refused_from_the_next_submission()
    {
        var carols = SubmissionServer.Approval(served.Request).Sign(served.Team.Keys["carol"]).ToJson();
        await Submissions.AssertRefusedAsync(carols, "dave", HttpStatusCode.Forbidden, ErrorCodes.ActorMayNotSign, "the token of 'dave'");
        var carol = ReleaseStoreTrust().Keys.Single(k => k.Name == "carol");
        var revocation = KeyChangeStatement.Of(new KeyChangePredicate(KeyChangePredicate.Revoke, "carol", carol.Key.ToPem(), [.. carol.Kinds.Order(StringComparer.Ordinal)], carol.ValidFrom, carol.ValidUntil, DateTimeOffset.UtcNow))
            .Sign(served.Team.Keys["root"]).ToJson();

        using var revoked = await Submissions.SubmitAsync(revocation, "root");

        Assert.True(revoked.StatusCode == HttpStatusCode.OK, await revoked.Content.ReadAsStringAsync());
        await Submissions.AssertRefusedAsync(carols, "dave", HttpStatusCode.Forbidden, ErrorCodes.KeyNotTrusted, "$.signatures");
    }

    [Fact]
    public async Task A_trust_file_edited_on_disk_after_the_server_read_it_is_refused_at_the_next_submission()
    {
        var erins = SubmissionServer.Approval(served.Request).Sign(served.Team.Keys["erin"]).ToJson();
        await Submissions.AssertRefusedAsync(erins, "dave", HttpStatusCode.Forbidden, ErrorCodes.ActorMayNotSign, "the token of 'dave'");
        var kept = await File.ReadAllBytesAsync(TrustPath);
        using var mallory = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var edited = TrustFile.Parse(kept).Value.With(new TrustedKey("mallory", mallory.PublicKey, new HashSet<string>([KnownKinds.Approval], StringComparer.Ordinal), DateTimeOffset.UnixEpoch, null));
        try
        {
            await File.WriteAllBytesAsync(TrustPath, edited.ToJson());

            await Submissions.AssertRefusedAsync(erins, "dave", HttpStatusCode.BadRequest, ErrorCodes.TrustFileMismatch, "mallory");
        }
        finally
        {
            await File.WriteAllBytesAsync(TrustPath, kept);
        }
    }

    private TrustFile ReleaseStoreTrust() => TrustFile.Parse(File.ReadAllBytes(TrustPath)).Value;
}
