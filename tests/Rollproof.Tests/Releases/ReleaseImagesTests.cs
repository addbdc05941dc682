using System.Text;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;

namespace Rollproof.Tests.Releases;

/// <summary>
/// Container images in a release: each is a subject by its manifest's digest and an entry of the predicate's image
/// list, its manifest kept in the store; releases without images keep the bytes they always had.
/// </summary>
public sealed class ReleaseImagesTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly PrivateKey _ci = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
    private readonly ReleaseStore _store;

    public ReleaseImagesTests()
    {
        _store = ReleaseStore.Init(_dir.Combine("store"), "log.example/releases").Value;
        File.WriteAllText(_dir.Combine("app.tar"), "artifact bytes");
    }

    public void Dispose()
    {
        _ci.Dispose();
        _dir.Dispose();
    }

    private static readonly byte[] Manifest = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}""");

    private static ResolvedImage Web(byte[]? manifest = null) => new("web",
        ImageReference.Parse($"registry.example/team/web@{Sha256Digest.Of(Manifest)}").Value,
        ImageManifest.Read(manifest ?? Manifest, null).Value);

    private static ReleaseDraft Draft(string version, IReadOnlyList<string> files, IReadOnlyList<ResolvedImage>? images) =>
        new("shop", version, files, null, null, null, null, null, null, images);

    private Result<VerifiedRelease> Verify(string version) =>
        ReleaseVerifier.VerifyAsync(_store, "shop", version, _store.ReadTrust().Value, _dir.Combine("seen")).GetAwaiter().GetResult();

    [Fact]
    public async Task A_release_without_images_writes_no_images_member_and_reads_as_before()
    {
        var statement = (await _store.CreateStatementAsync(Draft("1.0", [_dir.Combine("app.tar")], null))).Value;

        Assert.False(statement.Predicate.TryGetProperty("images", out _));
        Assert.Null(ReleaseStatement.Read(statement).Value.Images);
    }

    [Fact]
    public async Task An_image_only_release_publishes_and_verifies_with_the_image_apart_from_the_files()
    {
        Assert.True((await _store.PublishAsync(Draft("1.0", [], [Web()]), _ci, TimeProvider.System)).IsOk);

        var verified = Verify("1.0").Value;

        var image = Assert.Single(verified.Images);
        Assert.Equal($"registry.example/team/web@{Sha256Digest.Of(Manifest)}", image.Reference);
        Assert.Equal(ImageManifest.OciIndex, image.MediaType);
        Assert.Empty(verified.Artifacts);
        Assert.Equal(Manifest, (await _store.Artifacts.ReadAllAsync(Sha256Digest.Of(Manifest), 1024)).Value);
    }

    [Fact]
    public async Task A_manifest_that_does_not_hash_to_the_images_digest_is_refused_at_publish()
    {
        var other = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"x":1}""");

        var published = await _store.PublishAsync(Draft("1.0", [_dir.Combine("app.tar")], [Web(other)]), _ci, TimeProvider.System);

        Assert.Equal(ErrorCodes.ImageMismatch, published.Problem?.Code);
    }

    [Fact]
    public async Task A_signed_statement_whose_image_is_not_its_subject_is_refused()
    {
        Assert.True((await _store.PublishAsync(Draft("1.0", [_dir.Combine("app.tar")], null), _ci, TimeProvider.System)).IsOk);
        // Signed by the trusted key, but the image a runbook would deploy is not the digest the subjects bind.
        var honest = (await _store.CreateStatementAsync(Draft("2.0", [_dir.Combine("app.tar")], [Web()]))).Value;
        var predicate = ReleaseStatement.Read(honest).Value;
        var swapped = predicate with { Images = [predicate.Images![0] with { Digest = Sha256Digest.Of("another image"u8).ToString() }] };
        var envelope = ReleaseStatement.Create(honest.Subjects, swapped).Sign(_ci).ToJson();
        Assert.True((await _store.PublishEnvelopeAsync(envelope, TimeProvider.System)).IsOk);

        Assert.Equal(ErrorCodes.ImageMismatch, Verify("2.0").Problem?.Code);
    }
}
