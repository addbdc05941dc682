using Rollproof.Common;
using Rollproof.Configuration;
using Rollproof.Runbooks;
using Rollproof.Testing;

namespace Rollproof.Tests.Configuration;

/// <summary>rollproof.yaml is read strictly: known keys only, each error naming the line, no credential written inline.</summary>
public sealed class ConfigYamlTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string File => _dir.Combine("team", "rollproof.yaml");

    [Fact]
    public void Folders_are_taken_relative_to_the_file_and_each_environment_keeps_its_values()
    {
        var config = ConfigYaml.Parse("store: store\nkeyring: ../keys\nkey: ops\nenvironments:\n  prod:\n    values: { socket: /run/haproxy.sock, backend: app }\n  staging: { values: { backend: app-staging } }\n", File);

        Assert.True(config.IsOk, config.Problem?.Message);
        Assert.Equal(_dir.Combine("team", "store"), config.Value.Store);
        Assert.Equal(_dir.Combine("keys"), config.Value.Keyring);
        Assert.Equal(("ops", _dir.Combine("team")), (config.Value.Key, config.Value.Directory));
        Assert.Equal("/run/haproxy.sock", config.Value.ValuesFor("prod")["socket"]);
        Assert.Equal("app-staging", config.Value.ValuesFor("staging")["backend"]);
        Assert.Empty(config.Value.ValuesFor("qa"));
    }

    [Theory]
    [InlineData("store: s\nstroe: t\n", "line 2: stroe: is not a known setting")]
    [InlineData("environments:\n  prod:\n    value: { a: b }\n", "line 3: environments.prod.value: is not a known setting")]
    [InlineData("environments:\n  prod:\n    values: { 'no spaces': b }\n", "line 3: environments.prod.values.no spaces: is not a value name")]
    [InlineData("environments:\n  .hidden: { values: {} }\n", "line 2: environments..hidden: is not an environment name")]
    [InlineData("store: [a, b]\n", "line 1: store: must be a non-empty text")]
    [InlineData("store: 'unclosed\n", "not valid YAML")]
    public void A_mistake_is_refused_naming_the_line(string yaml, string message)
    {
        var config = ConfigYaml.Parse(yaml, File);

        Assert.Equal(ErrorCodes.ConfigInvalid, config.Problem?.Code);
        Assert.Contains(message, config.Problem!.Message, StringComparison.Ordinal);
        Assert.StartsWith(File, config.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_with_a_credential_written_inline_is_refused_naming_its_line_but_not_the_value()
    {
        var config = ConfigYaml.Parse("environments:\n  prod:\n    values:\n      backend: app\n      hook: https://bot:hunter2@hooks.example/T0\n", File);

        Assert.Equal(ErrorCodes.SecretInline, config.Problem?.Code);
        Assert.Contains("line 5: environments.prod.values.hook: a credential is written inline (a URL with user:password@)", config.Problem!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", config.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_values_file_may_be_json_and_is_checked_like_the_config()
    {
        System.IO.File.WriteAllText(_dir.Combine("values.json"), """{"socket": "/run/h.sock", "port": "8080"}""");
        System.IO.File.WriteAllText(_dir.Combine("secret.yaml"), "db: postgresql://app@db/shop?password=hunter2\n");

        var json = RunbookValues.Read(_dir.Combine("values.json"));
        var secret = RunbookValues.Read(_dir.Combine("secret.yaml"));

        Assert.Equal("8080", json.Value["port"]);
        Assert.Equal(ErrorCodes.SecretInline, secret.Problem?.Code);
        Assert.Contains("line 1: db:", secret.Problem!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", secret.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_wins_over_the_values_file_which_wins_over_the_config_and_a_secret_takes_no_value_from_either()
    {
        var merged = RunbookValues.Merge(
            set: new Dictionary<string, string> { ["a"] = "set" },
            file: new Dictionary<string, string> { ["a"] = "file", ["b"] = "file", ["hook"] = "file" },
            configured: new Dictionary<string, string> { ["a"] = "config", ["b"] = "config", ["c"] = "config", ["hook"] = "config" },
            secrets: new Dictionary<string, string> { ["hook"] = "env:HOOK" });

        Assert.Equal(new Dictionary<string, string> { ["a"] = "set", ["b"] = "file", ["c"] = "config" }, merged);
    }
}
