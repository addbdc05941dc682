using System.Text;
using System.Text.Json;
using Rollproof.Storage;
using Rollproof.Testing;

namespace Rollproof.Tests.Storage;

/// <summary>Logins as <c>docker login</c> writes them, and the registry challenges that ask for them.</summary>
public sealed class RegistryCredentialsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private RegistryCredentials Load(string json)
    {
        var path = _dir.Combine($"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return RegistryCredentials.Load(path);
    }

    private static string Auths(params (string Key, string UserAndPassword)[] logins) =>
        JsonSerializer.Serialize(new { auths = logins.ToDictionary(l => l.Key, l => new { auth = Convert.ToBase64String(Encoding.UTF8.GetBytes(l.UserAndPassword)) }) });

    [Fact]
    public void Logins_are_found_by_host_whatever_scheme_or_path_the_key_was_written_with()
    {
        var credentials = Load(Auths(("https://registry.example/v1/", "bob:pa:ss"), ("127.0.0.1:5000", "alice:secret")));

        Assert.Equal("bob", credentials.For("registry.example")?.User);
        Assert.Equal("pa:ss", credentials.For("registry.example")?.Password);
        Assert.Equal("alice", credentials.For("127.0.0.1:5000")?.User);
        Assert.Null(credentials.For("127.0.0.1:5001"));
    }

    [Fact]
    public void A_login_never_shows_its_password_as_text()
    {
        var login = Load(Auths(("registry.example", "bob:hunter2"))).For("registry.example")!;

        Assert.DoesNotContain("hunter2", login.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", $"{login}", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"credsStore":"desktop","auths":{"registry.example":{}}}""", "credential helper")]
    [InlineData("""{"credHelpers":{"registry.example":"ecr-login"}}""", "credential helper")]
    [InlineData("""{"auths":{"registry.example":{"auth":"bm8tY29sb24="}}}""", "is not base64 of user:password")]
    [InlineData("""{"auths":""", "not valid JSON")]
    [InlineData("""{"auths":{}}""", "has no auths.\"registry.example\".auth")]
    public void Why_there_is_no_login_is_said_plainly(string json, string why)
    {
        var credentials = Load(json);

        Assert.Null(credentials.For("registry.example"));
        Assert.Contains(why, credentials.Missing("registry.example"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_configuration_means_no_logins()
    {
        var credentials = RegistryCredentials.Load(_dir.Combine("absent.json"));

        Assert.Null(credentials.For("registry.example"));
        Assert.Contains("docker login registry.example", credentials.Missing("registry.example"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bearer_challenges_scope_keeps_its_commas()
    {
        var parameters = RegistryChallenge.ParseParameters("""realm="https://auth.example/token",service="registry.example",scope="repository:team/web:pull,push" """);

        Assert.Equal("https://auth.example/token", parameters["realm"]);
        Assert.Equal("registry.example", parameters["service"]);
        Assert.Equal("repository:team/web:pull,push", parameters["scope"]);
    }
}
