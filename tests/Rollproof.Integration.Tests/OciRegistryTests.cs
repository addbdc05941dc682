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

    /// <summary>Starts docker-registry with a filesystem store in a temporary directory, for the test class.</summary>
    public sealed class Registry : IDisposable
    {
        private readonly TempDirectory _data = new();
        private readonly Process _process;

        public Registry()
        {
            Port = LoopbackHttp.FreePort();
            var config = _data.Combine("config.yml");
            File.WriteAllText(config, $"""
                version: 0.1
                log:
                  level: error
                storage:
                  filesystem:
                    rootdirectory: {Storage}
                http:
                  addr: 127.0.0.1:{Port}
                """);
            var start = new ProcessStartInfo("docker-registry") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("serve");
            start.ArgumentList.Add(config);
            _process = ProcessGroups.StartInNewSession(start);
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            using var http = new HttpClient();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                try
                {
                    if (http.GetAsync($"http://127.0.0.1:{Port}/v2/").Result.StatusCode == HttpStatusCode.OK)
                        break;
                }
                catch (AggregateException) when (DateTime.UtcNow < deadline && !_process.HasExited)
                {
                    Thread.Sleep(100);
                }
            }
        }

        public int Port { get; }

        public string Storage => _data.Combine("data");

        public OciRepository Repository(string name) => OciRepository.Parse($"http://127.0.0.1:{Port}/{name}").Value;

        public void Dispose()
        {
            ProcessGroups.Stop(_process, TimeSpan.FromSeconds(5));
            _data.Dispose();
        }
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
        Assert.Equal(2, signature.GetProperty("layers").GetArrayLength());

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

    private async Task<(ReleaseStore Store, string EnvelopeDigest)> PublishAsync(ReleaseStore store)
    {
        var dir = _dir.Combine(Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "server.tar"), "shop 1.0.0 server");
        File.WriteAllText(Path.Combine(dir, "assets.tar"), "shop 1.0.0 assets");
        using var ci = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var draft = new ReleaseDraft("shop", "1.0.0+build.7", [Path.Combine(dir, "server.tar"), Path.Combine(dir, "assets.tar")], null, null, null, null, null, null);
        var published = await store.PublishAsync(draft, ci, TimeProvider.System, sigstoreBundle: true);
        Assert.True(published.IsOk, published.IsOk ? "" : published.Problem.Message);
        return (store, published.Value.Record.EnvelopeDigest);
    }

    private string Skopeo(string reference)
    {
        var inspected = ExternalProcess.Run("skopeo", ["inspect", "--raw", "--tls-verify=false", $"docker://127.0.0.1:{_registry.Port}/{reference}"], timeout: TimeSpan.FromMinutes(1));
        Assert.True(inspected.ExitCode == 0, "skopeo inspect failed: " + inspected.Error);
        return inspected.Out;
    }
}
