using System.Text;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>
/// Registry logins from a Docker config.json against docker-registry with htpasswd (Basic) auth, and with token auth
/// whose tokens come from <see cref="RegistryTokenService"/>: the right login works for push, fetch and pull; a wrong
/// or missing one is a clear RegistryAuthFailed that never shows the password.
/// </summary>
public sealed class RegistryAuthTests(RegistryAuthTests.Registries registries) : IClassFixture<RegistryAuthTests.Registries>, IDisposable
{
    private const string User = "alice";
    private const string Password = "correct-horse-7";

    private readonly TempDirectory _dir = new();

    /// <summary>Two registries for the class: one with htpasswd auth, one trusting the test token service.</summary>
    public sealed class Registries : IDisposable
    {
        public Registries()
        {
            Htpasswd = new HtpasswdRegistry();
            Token = new TokenRegistry();
        }

        public HtpasswdRegistry Htpasswd { get; }

        public TokenRegistry Token { get; }

        public void Dispose()
        {
            Htpasswd.Dispose();
            Token.Dispose();
        }
    }

    public sealed class HtpasswdRegistry : DockerRegistry
    {
        public HtpasswdRegistry()
        {
            // apache2-utils' htpasswd writes the bcrypt entry docker-registry reads.
            var made = ExternalProcess.Run("htpasswd", ["-Bbn", User, Password]);
            Assert.True(made.ExitCode == 0, "htpasswd failed: " + made.Error);
            File.WriteAllText(Data.Combine("htpasswd"), made.Out);
            Start($"""
                auth:
                  htpasswd:
                    realm: rollproof-test
                    path: {Data.Combine("htpasswd")}
                """);
        }
    }

    public sealed class TokenRegistry : DockerRegistry, IDisposable
    {
        public TokenRegistry()
        {
            Service = new RegistryTokenService(User, Password, Data.Combine("token-issuer.pem"));
            Start($"""
                auth:
                  token:
                    realm: {Service.Realm}
                    service: {RegistryTokenService.Service}
                    issuer: {RegistryTokenService.Issuer}
                    rootcertbundle: {Service.CertificateFile}
                """);
        }

        public RegistryTokenService Service { get; }

        public new void Dispose()
        {
            base.Dispose();
            Service.Dispose();
        }
    }

    public void Dispose() => _dir.Dispose();

    private string DockerConfig(int port, string password)
    {
        var dir = _dir.Combine($"docker-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{password}"));
        File.WriteAllText(Path.Combine(dir, "config.json"), JsonSerializer.Serialize(new { auths = new Dictionary<string, object> { [$"127.0.0.1:{port}"] = new { auth } } }));
        return dir;
    }

    private static OciRegistryClient Client(DockerRegistry registry, string repository, RegistryCredentials credentials) =>
        new(RegistryAuthHandler.CreateClient(credentials), registry.Repository(repository));

    [Fact]
    public async Task The_right_login_from_config_json_pushes_and_reads_blobs_under_htpasswd_auth()
    {
        var credentials = RegistryCredentials.Load(Path.Combine(DockerConfig(registries.Htpasswd.Port, Password), "config.json"));
        IArtifactStore store = new OciArtifactStore(Client(registries.Htpasswd, "team/basic", credentials));

        var digest = await store.PutAsync(new MemoryStream("behind htpasswd"u8.ToArray()));

        Assert.Equal("behind htpasswd"u8.ToArray(), (await store.ReadAllAsync(digest, 1024)).Value);
    }

    [Theory]
    [InlineData("htpasswd")]
    [InlineData("token")]
    public async Task A_wrong_password_is_refused_by_name_without_showing_it(string kind)
    {
        DockerRegistry registry = kind == "token" ? registries.Token : registries.Htpasswd;
        var config = Path.Combine(DockerConfig(registry.Port, "wrong-password-1"), "config.json");
        var client = Client(registry, "team/refused", RegistryCredentials.Load(config));

        var exists = await client.BlobExistsAsync(Sha256Digest.Of("anything"u8), CancellationToken.None);

        Assert.Equal(ErrorCodes.RegistryAuthFailed, exists.Problem?.Code);
        Assert.Contains("user 'alice'", exists.Problem!.Message, StringComparison.Ordinal);
        Assert.Contains(config, exists.Problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-1", exists.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_login_for_the_host_says_what_is_missing()
    {
        var config = Path.Combine(DockerConfig(1, Password), "config.json"); // a login for another host only
        var client = Client(registries.Htpasswd, "team/anonymous", RegistryCredentials.Load(config));

        var manifest = await client.GetManifestAsync("latest", CancellationToken.None);

        Assert.Equal(ErrorCodes.RegistryAuthFailed, manifest.Problem?.Code);
        Assert.Contains($"has no auths.\"127.0.0.1:{registries.Htpasswd.Port}\".auth", manifest.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_flow_pushes_a_release_and_fetches_it_back_asking_once_per_scope()
    {
        var credentials = RegistryCredentials.Load(Path.Combine(DockerConfig(registries.Token.Port, Password), "config.json"));
        var registry = Client(registries.Token, "team/tokens", credentials);
        var (store, _) = await ShopRelease.PublishAsync(ReleaseStore.Init(_dir.Combine("store"), "log.example/releases").Value, _dir.Combine("files"), "token");
        var before = registries.Token.Service.Issued;

        var pushed = await OciReleasePusher.PushAsync(store, "shop", ShopRelease.Version, registry);
        Assert.True(pushed.IsOk, pushed.IsOk ? "" : pushed.Problem.Message);
        var fetched = await OciReleaseFetcher.FetchAsync(registry, pushed.Value.ReleaseManifest);

        Assert.True(fetched.IsOk, fetched.IsOk ? "" : fetched.Problem.Message);
        // About a dozen requests; tokens for "pull" and for "pull,push" are each asked for once and then reused.
        Assert.InRange(registries.Token.Service.Issued - before, 1, 2);
    }

    [Fact]
    public async Task Release_pull_uses_the_login_in_DOCKER_CONFIG()
    {
        var docker = DockerConfig(registries.Htpasswd.Port, Password);
        var (store, _) = await ShopRelease.PublishAsync(ReleaseStore.Init(_dir.Combine("store"), "log.example/releases").Value, _dir.Combine("files"), "cli");
        var pushed = (await OciReleasePusher.PushAsync(store, "shop", ShopRelease.Version, Client(registries.Htpasswd, "team/cli", RegistryCredentials.Load(Path.Combine(docker, "config.json"))))).Value;
        var output = _dir.Combine("pulled");
        string[] pull = ["release", "pull", "--from", $"oci+http://127.0.0.1:{registries.Htpasswd.Port}/team/cli:{pushed.Tag}", "--trust", store.TrustPath, "-o", output, "--json"];

        var anonymous = RollproofCli.Run(pull, environment: new Dictionary<string, string> { ["DOCKER_CONFIG"] = _dir.Combine("no-docker-config") });
        var loggedIn = RollproofCli.Run(pull, environment: new Dictionary<string, string> { ["DOCKER_CONFIG"] = docker });

        Assert.Equal(3, anonymous.ExitCode);
        Assert.Contains(ErrorCodes.RegistryAuthFailed, anonymous.Out, StringComparison.Ordinal);
        Assert.True(loggedIn.ExitCode == 0, loggedIn.Out + loggedIn.Error);
        Assert.True(JsonDocument.Parse(loggedIn.Out).RootElement.GetProperty("verified").GetBoolean());
        Assert.Equal("shop 1.0.0 server cli", File.ReadAllText(Path.Combine(output, "artifacts", "server.tar")));
    }
}
