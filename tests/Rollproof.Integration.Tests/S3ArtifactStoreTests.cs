using System.Diagnostics;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Retention;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>The S3 artifact store against s3rver, a real S3-compatible server from npm, started on loopback.</summary>
public sealed partial class S3ArtifactStoreTests : IClassFixture<S3ArtifactStoreTests.Server>
{
    private const string Bucket = "rollproof-artifacts";
    private readonly Server _server;

    public S3ArtifactStoreTests(Server server) => _server = server;

    /// <summary>Installs s3rver with npm (pinned by package-lock.json) and runs it for the test class.</summary>
    public sealed partial class Server : IDisposable
    {
        private readonly TempDirectory _data = new();
        private readonly Process _process;

        public Server()
        {
            var package = Path.Combine(SharedFiles.RepositoryRoot, "tests", "Rollproof.Integration.Tests", "S3Server");
            if (!File.Exists(Path.Combine(package, "node_modules", "s3rver", "bin", "s3rver.js")))
            {
                var installed = ExternalProcess.Run("npm", ["ci", "--prefix", package, "--no-audit", "--no-fund"]);
                Assert.True(installed.ExitCode == 0, "npm ci for s3rver failed: " + installed.Error);
            }
            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in (string[])[Path.Combine(package, "node_modules", "s3rver", "bin", "s3rver.js"), "-d", _data.Path, "-a", "127.0.0.1", "-p", "0"])
                start.ArgumentList.Add(arg);
            _process = ProcessGroups.StartInNewSession(start);
            var port = 0;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (port == 0 && DateTime.UtcNow < deadline && _process.StandardOutput.ReadLine() is { } line)
            {
                var match = Listening().Match(line);
                if (match.Success)
                    port = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            Assert.True(port > 0, "s3rver did not start");
            Endpoint = $"127.0.0.1:{port}";
            Client = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), S3ArtifactStore.CompatibleConfig($"http://{Endpoint}"));
            // A store opened from its location URL finds credentials where the SDK looks for them; no other test uses AWS.
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "S3RVER");
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "S3RVER");
            Client.PutBucketAsync(Bucket).GetAwaiter().GetResult();
        }

        public AmazonS3Client Client { get; }

        /// <summary>host:port of the server.</summary>
        public string Endpoint { get; }

        public void Dispose()
        {
            Client.Dispose();
            ProcessGroups.Stop(_process, TimeSpan.FromSeconds(5));
            _data.Dispose();
        }

        [GeneratedRegex(@"listening on [^:]+:(\d+)")]
        private static partial Regex Listening();
    }

    [Fact]
    public async Task Blobs_round_trip_by_digest_and_are_stored_once()
    {
        var store = new S3ArtifactStore(_server.Client, Bucket, "roundtrip/");
        var data = System.Security.Cryptography.RandomNumberGenerator.GetBytes(3 << 20);

        var digest = await store.PutAsync(new MemoryStream(data));
        var again = await store.PutAsync(new MemoryStream(data));

        Assert.Equal(digest, again);
        Assert.Equal(Sha256Digest.Of(data), digest);
        await using var read = (await store.OpenAsync(digest)).Value;
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());
        var listed = await _server.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "roundtrip/" });
        Assert.Equal($"roundtrip/sha256/{digest.Hex[..2]}/{digest.Hex}", Assert.Single(listed.S3Objects).Key);
    }

    [Fact]
    public async Task An_object_changed_in_the_bucket_is_refused_and_a_missing_one_reported()
    {
        var store = new S3ArtifactStore(_server.Client, Bucket, "tamper/");
        var digest = await store.PutAsync(new MemoryStream("release 1.4.2"u8.ToArray()));
        await _server.Client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = $"tamper/sha256/{digest.Hex[..2]}/{digest.Hex}", ContentBody = "release 1.4.3" });

        Assert.Equal(ErrorCodes.BlobCorrupt, (await store.OpenAsync(digest)).Problem?.Code);
        Assert.Equal(ErrorCodes.BlobMissing, (await store.OpenAsync(Sha256Digest.Of("never"u8))).Problem?.Code);
        Assert.False(await store.ExistsAsync(Sha256Digest.Of("never"u8)));
    }

    [Fact]
    public async Task A_store_initialised_with_a_bucket_keeps_its_blobs_there_and_verifies_them_from_there()
    {
        using var dir = new TempDirectory();
        var location = ArtifactLocation.Parse($"s3+http://{_server.Endpoint}/{Bucket}/store-a").Value;
        ReleaseStore.Init(dir.Combine("store"), "log.example/releases", artifacts: location);
        var store = ReleaseStore.Open(dir.Combine("store")).Value;
        File.WriteAllText(dir.Combine("app.tar"), "release kept in a bucket");
        using var ci = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var published = await store.PublishAsync(new ReleaseDraft("web", "1.0", [dir.Combine("app.tar")], null, null, null, null, null, null), ci, TimeProvider.System);
        var trust = store.ReadTrust().Value;

        Assert.True(published.IsOk, published.IsOk ? "" : published.Problem.Message);
        Assert.Equal(location.Url, store.ArtifactLocation?.Url);
        Assert.False(Directory.Exists(Path.Combine(store.Root, "artifacts")));
        Assert.True((await ReleaseVerifier.VerifyAsync(store, "web", "1.0", trust, dir.Combine("seen"))).IsOk);

        var artifact = Sha256Digest.Of("release kept in a bucket"u8);
        await _server.Client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = $"store-a/sha256/{artifact.Hex[..2]}/{artifact.Hex}", ContentBody = "release swapped in the bucket" });
        Assert.Equal(ErrorCodes.BlobCorrupt, (await ReleaseVerifier.VerifyAsync(store, "web", "1.0", trust, dir.Combine("seen"))).Problem?.Code);
        Assert.Equal(ErrorCodes.OperationUnsupported, (await GarbageCollector.CollectAsync(store, new RetentionRules(1, TimeSpan.FromDays(90)), dir.Combine("seen"), null, dryRun: true, TimeProvider.System)).Problem?.Code);
    }
}
