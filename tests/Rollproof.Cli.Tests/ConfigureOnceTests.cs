using System.Globalization;
using Rollproof.Cli.Infrastructure;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// Issue 14, "configure once": the store, keyring, signing key and runbook values come from the flag, then the
/// environment, then rollproof.yaml; a broken config stops a command that needs it, and a key name found nowhere is a
/// usage error listing where it looked. Each command sees only the environment variables a test gives it.
/// </summary>
public sealed class ConfigureOnceTests : GovernedStoreTests
{
    private static readonly Dictionary<string, string> Nothing = [];

    private string Config => Dir.Combine("team", "rollproof.yaml");

    private void WriteConfig(string yaml)
    {
        Directory.CreateDirectory(Dir.Combine("team"));
        File.WriteAllText(Config, yaml);
    }

    [Fact]
    public void The_store_comes_from_the_flag_then_ROLLPROOF_STORE_then_the_config()
    {
        WriteConfig("store: ../store\n");
        var elsewhere = new Dictionary<string, string> { ["ROLLPROOF_STORE"] = Dir.Combine("elsewhere") };

        var fromConfig = RunWith(Nothing, "release", "list", "--config", Config);
        var fromConfigVariable = RunWith(new Dictionary<string, string> { ["ROLLPROOF_CONFIG"] = Config }, "release", "list");
        var variableOverConfig = RunWith(elsewhere, "release", "list", "--config", Config);
        var flagOverVariable = RunWith(elsewhere, "release", "list", "--store", Store);
        var none = RunWith(Nothing, "release", "list");

        Assert.True(fromConfig.ExitCode == ExitCodes.Ok, fromConfig.Error);
        Assert.Contains("doc-signer", fromConfig.Out, StringComparison.Ordinal);
        Assert.Equal(fromConfig.Out, fromConfigVariable.Out);
        Assert.NotEqual(ExitCodes.Ok, variableOverConfig.ExitCode);
        Assert.Contains(Dir.Combine("elsewhere"), variableOverConfig.Error, StringComparison.Ordinal);
        Assert.Equal(fromConfig.Out, flagOverVariable.Out);
        Assert.Equal(ExitCodes.Usage, none.ExitCode);
        Assert.Contains("give --store DIR, set ROLLPROOF_STORE, or name the store in rollproof.yaml", none.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_with_an_unknown_key_stops_a_command_that_needs_it_naming_the_line_and_one_given_every_flag_never_reads_it()
    {
        WriteConfig("store: ../store\nkeyring: ../keys\nstroe: oops\n");

        var needsIt = RunWith(Nothing, "release", "list", "--config", Config);
        var missing = RunWith(Nothing, "release", "list", "--config", Dir.Combine("no-such.yaml"));
        var flagsOnly = RunWith(Nothing, "release", "list", "--config", Config, "--store", Store);

        Assert.Equal(ExitCodes.InputError, needsIt.ExitCode);
        Assert.Contains($"error RP0050: {Config}: line 3: stroe: is not a known setting", needsIt.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InputError, missing.ExitCode);
        Assert.Contains("no-such.yaml' does not exist", missing.Error, StringComparison.Ordinal);
        Assert.True(flagsOnly.ExitCode == ExitCodes.Ok, flagsOnly.Error);
    }

    [Fact]
    public void Key_NAME_is_found_in_the_keyring_and_a_name_found_nowhere_exits_2_listing_where_it_looked()
    {
        Directory.CreateDirectory(Dir.Combine("keys"));
        File.Copy(Key("ops"), Dir.Combine("keys", "ops.key"));
        WriteConfig("store: ../store\nkeyring: ../keys\n");
        string[] deploy = ["deploy", "record", "--config", Config, "--env", "prod", "--app", "doc-signer", "--version", "1.0", "--state", State];

        var byName = RunWith(Nothing, [.. deploy, "--key", "ops"]);
        var unknown = RunWith(Nothing, [.. deploy, "--key", "nobody"]);
        var keysVariableWins = RunWith(new Dictionary<string, string> { ["ROLLPROOF_KEYS"] = Dir.Combine("empty") }, [.. deploy, "--key", "ops"]);
        WriteConfig("store: ../store\nkeyring: ../keys\nkey: ops\n");
        var configKey = RunWith(Nothing, deploy);

        Assert.True(byName.ExitCode == ExitCodes.Ok, byName.Error);
        Assert.True(configKey.ExitCode == ExitCodes.Ok, configKey.Error);
        Assert.Equal(ExitCodes.Usage, unknown.ExitCode);
        Assert.Contains($"no key 'nobody': looked in the keyring ({Dir.Combine("keys", "nobody.key")}) and for a file", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, keysVariableWins.ExitCode);
        Assert.Contains(Dir.Combine("empty", "ops.key"), keysVariableWins.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bare_name_is_the_keyrings_key_even_beside_a_file_of_that_name_and_a_path_is_always_a_path()
    {
        Directory.CreateDirectory(Dir.Combine("keys"));
        File.WriteAllText(Dir.Combine("keys", "ops.key"), "");
        File.WriteAllText(Dir.Combine("ops"), "");
        File.WriteAllText(Dir.Combine("alice"), "");
        Keyring Ring() => new(Dir.Combine("keys"));

        Assert.Equal(Dir.Combine("keys", "ops.key"), KeyLocation.Find("ops", Dir.Path, Ring).Value);
        Assert.Equal(Dir.Combine("ops"), KeyLocation.Find("./ops", Dir.Path, Ring).Value);
        Assert.Equal(Dir.Combine("alice"), KeyLocation.Find("alice", Dir.Path, Ring).Value);
        Assert.Equal(Dir.Combine("bob.key"), KeyLocation.Find("bob.key", Dir.Path, () => throw new InvalidOperationException("a path never opens the keyring")).Value);
    }

    [Fact]
    public void Runbook_values_come_from_set_then_the_values_file_then_the_environments_values_in_the_config()
    {
        var request = Approved().ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(Dir.Combine("echo.yaml"), "name: echo\nsteps:\n  - id: say\n    uses: command\n    with: { run: 'echo {{vars.a}} {{vars.b}} {{vars.c}}' }\n");
        File.WriteAllText(Dir.Combine("values.json"), """{ "a": "from-file", "b": "from-file" }""");
        WriteConfig("environments:\n  prod: { values: { a: from-config, b: from-config, c: from-config } }\n  staging: { values: { c: wrong-environment } }\n");
        string[] dryRun = ["rollback", "execute", request, "--store", Store, "--runbook", Dir.Combine("echo.yaml"), "--key", Key("ops"), "--state", State, "--config", Config, "--dry-run"];

        var layered = RunWith(Nothing, [.. dryRun, "--values", Dir.Combine("values.json"), "--set", "a=from-set"]);
        var configOnly = RunWith(Nothing, dryRun);

        Assert.True(layered.ExitCode == ExitCodes.Ok, layered.Error);
        Assert.Contains("echo from-set from-file from-config", layered.Out, StringComparison.Ordinal);
        Assert.Contains("echo from-config from-config from-config", configOnly.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Runbook_check_takes_the_environment_values_from_the_config_and_a_values_file_as_execute_does()
    {
        WriteConfig("environments:\n  prod:\n    values: { target-dir: /srv/app }\n");
        var runbook = Dir.Combine("check.yaml");
        File.WriteAllText(runbook, "name: check\nsteps:\n  - id: copy\n    uses: command\n    with: { run: 'cp -r {{vars.source}} {{vars.target-dir}}' }\n");
        var values = Dir.Combine("values.yaml");
        File.WriteAllText(values, "source: /tmp/build\n");

        var unfilled = RunWith(Nothing, "runbook", "check", runbook, "--config", Config, "--env", "prod");
        var filled = RunWith(Nothing, "runbook", "check", runbook, "--config", Config, "--env", "prod", "--values", values);

        Assert.Equal(ExitCodes.InputError, unfilled.ExitCode);
        Assert.Contains("--set source", unfilled.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("target-dir", unfilled.Error, StringComparison.Ordinal);
        Assert.True(filled.ExitCode == ExitCodes.Ok, filled.Error);
        Assert.Contains("runbook 'check' is valid: 1 step", filled.Out, StringComparison.Ordinal);
    }
}
