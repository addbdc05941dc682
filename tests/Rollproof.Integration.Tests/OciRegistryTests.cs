using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>
/// The OCI backend against Debian's docker-registry (the CNCF Distribution registry), our own instance on loopback,
/// with skopeo as the independent client that checks what we pushed.
/// </summary>
public sealed class OciRegistryTests : IClassFixture<OciRegistryTests.Registry>, IDisposable
{
    private readonly Registry _registry;
    private readonly TempDirectory _dir = new();
    private readonly HttpClient _http = new();

    public OciRegistryTests(Registry registry) => _registry = registry;

    /// <summary>An anonymous registry for the test class.</summary>
    public sealed class Registry : DockerRegistry
    {
        public Registry() => Start();
    }

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    private OciRegistryClient Client(string repository) => new(_http, _registry.Repository(repository));

    [Fact]
    public async Task Blobs_round_trip_by_digest_and_are_uploaded_once()
    {
        var store = new OciArtifactStore(Client("rollproof/roundtrip"));
        var data = System.Security.Cryptography.RandomNumberGenerator.GetBytes(3 << 20);

        var digest = await store.PutAsync(new MemoryStream(data));
        var again = await store.PutAsync(new MemoryStream(data));

        Assert.Equal(Sha256Digest.Of(data), digest);
        Assert.Equal(digest, again);
        Assert.True(await store.ExistsAsync(digest));
        await using var read = (await store.OpenAsync(digest)).Value;
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());
        Assert.Equal(ErrorCodes.BlobMissing, (await store.OpenAsync(Sha256Digest.Of("never"u8))).Problem?.Code);
    }

    [Fact]
    public async Task A_blob_changed_on_the_registrys_disk_is_refused()
    {
        var store = new OciArtifactStore(Client("rollproof/tamper"));
        var digest = await store.PutAsync(new MemoryStream("release 1.4.2"u8.ToArray()));
        var data = Path.Combine(_registry.Storage, "docker", "registry", "v2", "blobs", "sha256", digest.Hex[..2], digest.Hex, "data");
        File.WriteAllText(data, "release 1.4.3");

        Assert.Equal(ErrorCodes.BlobCorrupt, (await store.OpenAsync(digest)).Problem?.Code);
    }

    [Fact]
    public async Task A_pushed_release_has_the_digests_we_recorded_as_skopeo_sees_them_and_fetches_back_whole()
    {
        var (store, envelopeDigest) = await PublishAsync(ReleaseStore.Init(_dir.Combine("store"), "log.example/releases").Value);
        var registry = Client("team/shop");

        var pushed = (await OciReleasePusher.PushAsync(store, "shop", "1.0.0+build.7", registry)).Value;

        Assert.Equal("1.0.0_build.7", pushed.Tag);
        var manifest = Skopeo($"team/shop:{pushed.Tag}");
        Assert.Equal(pushed.ReleaseManifest, Sha256Digest.Of(Encoding.UTF8.GetBytes(manifest)));
        var layers = JsonDocument.Parse(manifest).RootElement.GetProperty("layers").EnumerateArray()
            .ToDictionary(l => l.GetProperty("annotations").GetProperty("org.opencontainers.image.title").GetString()!, l => l.GetProperty("digest").GetString());
        Assert.Equal(Sha256Digest.Of("shop 1.0.0 server"u8).ToString(), layers["server.tar"]);
        Assert.Equal(Sha256Digest.Of("shop 1.0.0 assets"u8).ToString(), layers["assets.tar"]);
        var signature = JsonDocument.Parse(Skopeo($"team/shop:{pushed.SignatureTag}")).RootElement;
        Assert.Equal(pushed.ReleaseManifest.ToString(), signature.GetProperty("subject").GetProperty("digest").GetString());
        Assert.Equal(4, signature.GetProperty("layers").GetArrayLength()); // envelope, receipt, entry timestamp, bundle

        var fetched = (await OciReleaseFetcher.FetchAsync(registry, pushed.ReleaseManifest)).Value;
        Assert.Equal((await store.ReadEnvelopeAsync(envelopeDigest)).Value, fetched.Envelope);
        Assert.NotNull(fetched.SigstoreBundle);
        IArtifactStore blobs = new OciArtifactStore(registry);
        var server = fetched.Artifacts.Single(a => a.Title == "server.tar");
        Assert.Equal("shop 1.0.0 server"u8.ToArray(), (await blobs.ReadAllAsync(server.Digest, 1024)).Value);
    }

    [Fact]
    public async Task A_store_that_keeps_its_blobs_in_a_registry_publishes_and_verifies_from_there()
    {
        var location = ArtifactLocation.Parse($"oci+http://127.0.0.1:{_registry.Port}/team/blobs").Value;
        ReleaseStore.Init(_dir.Combine("registry-store"), "log.example/releases", artifacts: location);
        var (store, _) = await PublishAsync(ReleaseStore.Open(_dir.Combine("registry-store")).Value);

        Assert.False(Directory.Exists(Path.Combine(store.Root, "artifacts")));
        Assert.IsType<OciArtifactStore>(store.Artifacts);
        var trust = store.ReadTrust().Value;
        Assert.True((await ReleaseVerifier.VerifyAsync(store, "shop", "1.0.0+build.7", trust, _dir.Combine("seen"))).IsOk);
    }

    [Fact]
    public async Task The_registrys_refusal_is_a_problem_with_its_own_error_code()
    {
        var registry = Client("team/broken");
        var dangling = new OciManifest(OciMediaTypes.EmptyDescriptor, [new OciDescriptor(OciMediaTypes.Blob, Sha256Digest.Of("never uploaded"u8), 14)]);

        var put = await registry.PutManifestAsync("dangling", dangling, CancellationToken.None);

        Assert.Equal(ErrorCodes.RegistryFailed, put.Problem?.Code);
        Assert.Contains("MANIFEST_BLOB_UNKNOWN", put.Problem!.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.RegistryFailed, (await registry.GetManifestAsync("no-such-tag", CancellationToken.None)).Problem?.Code);
    }

    [Fact]
    public async Task An_image_release_binds_the_registrys_manifest_and_verify_checks_it_there_again()
    {
        var image = await PushImageAsync("team/web", "web v1");
        var resolved = (await RegistryImages.ResolveAsync("web", ImageReference.Parse(image).Value, _http)).Value;
        var (store, _) = await PublishAsync(ReleaseStore.Init(_dir.Combine("store"), "log.example/releases").Value, "image", [resolved]);

        var verified = (await ReleaseVerifier.VerifyAsync(store, "shop", ShopRelease.Version, store.ReadTrust().Value, _dir.Combine("seen"))).Value;
        var checkedNow = (await RegistryImages.CheckAsync(verified.Images, _http)).Value;

        Assert.Equal(image, verified.Images.Single().Reference);
        Assert.Equal(OciMediaTypes.ImageManifest, verified.Images.Single().MediaType);
        Assert.Equal(["assets.tar", "server.tar"], verified.Artifacts.Select(a => a.Name).Order());
        Assert.True(checkedNow.Single().Checked);

        // The manifest is a blob on the registry's disk: changed there, the registry serves other bytes for the digest.
        var digest = verified.Images.Single().Digest;
        File.WriteAllText(Path.Combine(_registry.Storage, "docker", "registry", "v2", "blobs", "sha256", digest[7..9], digest[7..], "data"), "{}");
        var tampered = await RegistryImages.CheckAsync(verified.Images, _http);
        Assert.Equal(ErrorCodes.ImageMismatch, tampered.Problem?.Code);
    }

    [Fact]
    public async Task An_image_the_registry_does_not_have_is_refused_at_publish()
    {
        var missing = ImageReference.Parse($"127.0.0.1:{_registry.Port}/team/web@{Sha256Digest.Of("never pushed"u8)}").Value;

        var resolved = await RegistryImages.ResolveAsync("web", missing, _http);

        Assert.Equal(ErrorCodes.RegistryFailed, resolved.Problem?.Code);
        Assert.Contains("MANIFEST_UNKNOWN", resolved.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_that_cannot_be_reached_is_reported_as_unchecked_never_as_a_match()
    {
        var image = new ContainerImage("web", $"127.0.0.1:{LoopbackHttp.FreePort()}/team/web", Sha256Digest.Of("web"u8).ToString(), OciMediaTypes.ImageManifest);

        var checkedNow = (await RegistryImages.CheckAsync([image], _http)).Value.Single();

        Assert.False(checkedNow.Checked);
        Assert.Contains("could not be reached", checkedNow.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pushed_release_is_pulled_verified_into_a_new_directory()
    {
        var (store, envelope) = await PublishAsync(ReleaseStore.Init(_dir.Combine("store"), "log.example/releases").Value, "pull");
        var pushed = (await OciReleasePusher.PushAsync(store, "shop", ShopRelease.Version, Client("team/pull"))).Value;
        var output = _dir.Combine("pulled");

        var pulled = await OciReleasePuller.PullAsync(Client("team/pull"), pushed.Tag, store.ReadTrust().Value, output);

        Assert.True(pulled.IsOk, pulled.IsOk ? "" : pulled.Problem.Message);
        Assert.Equal(pushed.ReleaseManifest, pulled.Value.Manifest);
        Assert.Equal("shop 1.0.0 server pull", File.ReadAllText(Path.Combine(output, "artifacts", "server.tar")));
        Assert.Equal((await store.ReadEnvelopeAsync(envelope)).Value, File.ReadAllBytes(Path.Combine(output, OciReleasePuller.EnvelopeFile)));
        Assert.True(File.Exists(Path.Combine(output, OciReleasePuller.ReceiptFile)));
    }

    [Fact]
    public async Task A_pull_that_fails_to_verify_writes_nothing()
    {
        var (store, _) = await PublishAsync(ReleaseStore.Init(_dir.Combine("store"), "log.example/releases").Value, "refused");
        var pushed = (await OciReleasePusher.PushAsync(store, "shop", ShopRelease.Version, Client("team/refused"))).Value;
        var parent = _dir.Combine("pulls");
        Directory.CreateDirectory(parent);
        var logKeyOnly = store.ReadTrust().Value.Keys.Where(k => k.Kinds.Contains(LogPublicKeys.Kind)).Aggregate(TrustFile.Empty, (t, k) => t.With(k));

        var untrusted = await OciReleasePuller.PullAsync(Client("team/refused"), pushed.ReleaseManifest.ToString(), logKeyOnly, Path.Combine(parent, "untrusted"));
        // A file changed in the registry after the push: found while downloading, after the statement verified.
        var server = Sha256Digest.Of("shop 1.0.0 server refused"u8);
        File.WriteAllText(Path.Combine(_registry.Storage, "docker", "registry", "v2", "blobs", "sha256", server.Hex[..2], server.Hex, "data"), "shop 1.0.0 server EVIL");
        var tampered = await OciReleasePuller.PullAsync(Client("team/refused"), pushed.Tag, store.ReadTrust().Value, Path.Combine(parent, "tampered"));

        Assert.Equal(ErrorCodes.KeyNotTrusted, untrusted.Problem?.Code);
        Assert.Equal(ErrorCodes.BlobCorrupt, tampered.Problem?.Code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
    }

    [Fact]
    public async Task A_pulled_release_verifies_the_cosign_bundles_its_statement_binds_and_fails_when_one_is_altered_or_absent()
    {
        // CI's cosign bundle (a key-signed test vector with its own trusted root) over the release's file a.txt.
        var vector = SharedFiles.Vector("sigstore-bundles", "managed-key-and-trusted-root");
        var files = _dir.Combine("cosign-release");
        Directory.CreateDirectory(files);
        File.Copy(SharedFiles.Vector("sigstore-bundles", "a.txt"), Path.Combine(files, "a.txt"));
        using var ecdsa = System.Security.Cryptography.ECDsa.Create();
        ecdsa.ImportFromPem(File.ReadAllText(Path.Combine(vector, "key.pub")));
        var bundle = File.ReadAllBytes(Path.Combine(vector, "bundle.sigstore.json"));
        var cosign = new CosignBundleDraft([new("a.txt", bundle)], Rollproof.Sigstore.Verification.ExpectedSigner.Key(ecdsa.ExportSubjectPublicKeyInfo()), File.ReadAllBytes(Path.Combine(vector, "trusted_root.json")));
        var store = ReleaseStore.Init(_dir.Combine("store"), "log.example/releases").Value;
        using var ci = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var published = await store.PublishAsync(new ReleaseDraft("shop", "2.0", [Path.Combine(files, "a.txt")], null, null, null, null, null, null, null, cosign), ci, TimeProvider.System);
        Assert.True(published.IsOk, published.IsOk ? "" : published.Problem.Message);
        var pushed = (await OciReleasePusher.PushAsync(store, "shop", "2.0", Client("team/cosign"))).Value;
        var trust = store.ReadTrust().Value;
        var parent = _dir.Combine("cosign-pulls");
        Directory.CreateDirectory(parent);

        var pulled = await OciReleasePuller.PullAsync(Client("team/cosign"), pushed.Tag, trust, Path.Combine(parent, "pulled"));
        // The bundle swapped on the registry's disk for another one: its digest no longer matches the statement's.
        var blob = Path.Combine(_registry.Storage, "docker", "registry", "v2", "blobs", "sha256", Sha256Digest.Of(bundle).Hex[..2], Sha256Digest.Of(bundle).Hex, "data");
        File.WriteAllBytes(blob, File.ReadAllBytes(SharedFiles.Vector("sigstore-bundles", "rekor2-happy-path", "bundle.sigstore.json")));
        var altered = await OciReleasePuller.PullAsync(Client("team/cosign"), pushed.Tag, trust, Path.Combine(parent, "altered"));
        // And gone from the registry: the release is not pulled as if it had none.
        File.Delete(blob);
        var absent = await OciReleasePuller.PullAsync(Client("team/cosign"), pushed.Tag, trust, Path.Combine(parent, "absent"));

        Assert.True(pulled.IsOk, pulled.IsOk ? "" : pulled.Problem.Message);
        Assert.Equal(ErrorCodes.BlobCorrupt, altered.Problem?.Code);
        Assert.Equal(ErrorCodes.BlobMissing, absent.Problem?.Code);
        Assert.Equal(["pulled"], Directory.EnumerateFileSystemEntries(parent).Select(Path.GetFileName));
    }

    // A minimal single-layer OCI image, pushed as a registry holds any image; its reference by digest.
    private async Task<string> PushImageAsync(string repository, string content)
    {
        var registry = Client(repository);
        var layer = Encoding.UTF8.GetBytes(content);
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["{{{Sha256Digest.Of(layer)}}}"]}}""");
        foreach (var blob in (byte[][])[layer, config])
            Assert.Null(await registry.PushBlobAsync(Sha256Digest.Of(blob), new MemoryStream(blob), CancellationToken.None));
        var manifest = new OciManifest(new OciDescriptor("application/vnd.oci.image.config.v1+json", Sha256Digest.Of(config), config.Length), [new OciDescriptor("application/vnd.oci.image.layer.v1.tar", Sha256Digest.Of(layer), layer.Length)]);
        var digest = (await registry.PutManifestAsync("v1", manifest, CancellationToken.None)).Value;
        return $"127.0.0.1:{_registry.Port}/{repository}@{digest}";
    }

    private async Task<(ReleaseStore Store, string EnvelopeDigest)> PublishAsync(ReleaseStore store, string flavour = "", IReadOnlyList<ResolvedImage>? images = null)
    {
        var (_, published) = await ShopRelease.PublishAsync(store, _dir.Combine(Guid.NewGuid().ToString("N")), flavour, images);
        return (store, published.Record.EnvelopeDigest);
    }

    private string Skopeo(string reference)
    {
        var inspected = ExternalProcess.Run("skopeo", ["inspect", "--raw", "--tls-verify=false", $"docker://127.0.0.1:{_registry.Port}/{reference}"], timeout: TimeSpan.FromMinutes(1));
        Assert.True(inspected.ExitCode == 0, "skopeo inspect failed: " + inspected.Error);
        return inspected.Out;
    }
}
