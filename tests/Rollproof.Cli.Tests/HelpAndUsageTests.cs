using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rollproof.Cli.Infrastructure;
using Rollproof.Testing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// Help shows examples for the main commands, and each example parses as the command it illustrates; a command line
/// that does not parse is reported as JSON on stdout when --json is asked for, and exits 2 either way.
/// </summary>
public sealed partial class HelpAndUsageTests
{
    [GeneratedRegex("`([a-z -]+)`")]
    private static partial Regex Backticked();

    // The commands docs/cli.md lists as the main ones ("Examples in `--help`").
    private static IReadOnlyList<string> MainCommands()
    {
        var cli = File.ReadAllText(Path.Combine(SharedFiles.RepositoryRoot, "docs", "cli.md"));
        var start = cli.IndexOf("### Examples in `--help`", StringComparison.Ordinal);
        var section = cli[start..cli.IndexOf("\n\n", cli.IndexOf("The main commands", start, StringComparison.Ordinal), StringComparison.Ordinal)];
        return Backticked().Matches(section).Select(m => m.Groups[1].Value).Where(c => c != "--help").ToList();
    }

    // Splits an example as a shell would: on spaces, with '…' quoting.
    private static string[] Words(string example) =>
        [.. Regex.Matches(example, "'([^']*)'|(\\S+)").Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)];

    [Fact]
    public void Every_main_command_in_the_docs_has_examples_and_each_parses_as_that_command()
    {
        var main = MainCommands();
        var root = CliApp.Build(new CliContext(TextWriter.Null, TextWriter.Null, interactive: false));

        Assert.True(main.Count >= 20, $"docs/cli.md lists {main.Count} main commands");
        Assert.All(main, command => Assert.True(HelpExamples.ByCommand.ContainsKey(command), $"no examples for '{command}'"));
        foreach (var (command, examples) in HelpExamples.ByCommand)
        {
            Assert.NotEmpty(examples);
            foreach (var example in examples)
            {
                var parse = root.Parse(Words(example));
                Assert.True(parse.Errors.Count == 0, $"'{example}': {string.Join("; ", parse.Errors.Select(e => e.Message))}");
                Assert.Equal(command, HelpExamples.PathOf(parse.CommandResult.Command));
            }
        }
    }

    [Fact]
    public void A_main_commands_help_ends_with_its_examples()
    {
        var help = Run("rollback", "approve", "--help");

        Assert.Equal(ExitCodes.Ok, help.ExitCode);
        Assert.Contains("Examples:\n  rollproof rollback approve 17 --store store --key keys/alice.key\n", help.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Reject_has_its_own_help_not_approves()
    {
        var approve = Run("rollback", "approve", "--help").Out;
        var reject = Run("rollback", "reject", "--help").Out;

        Assert.Contains("Reject a rollback request", reject, StringComparison.Ordinal);
        Assert.DoesNotContain("The approval binds", reject, StringComparison.Ordinal);
        Assert.Contains("Approve a rollback request", approve, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "rollback", "status", "17", "--store", "s", "--json", "--frobnicate" }, "--frobnicate", "rollback status")]
    [InlineData(new[] { "rollback", "status", "--store", "s", "--json" }, "REQUEST", "rollback status")]
    [InlineData(new[] { "rollback", "status", "seventeen", "--store", "s", "--json" }, "seventeen", "rollback status")]
    [InlineData(new[] { "query", "environments", "--json", "--store" }, "--store", "query environments")]
    public void A_usage_error_with_json_is_a_json_error_on_stdout_the_text_on_stderr_and_exit_2(string[] args, string named, string command)
    {
        var outcome = Run(args);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        var error = JsonDocument.Parse(outcome.Out).RootElement.GetProperty("error");
        Assert.Equal("RP0051", error.GetProperty("code").GetString());
        Assert.Contains(named, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal($"Run 'rollproof {command} --help' for usage.", error.GetProperty("usage").GetString());
        Assert.Contains("error: ", outcome.Error, StringComparison.Ordinal);
        Assert.Contains(named, outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_usage_error_without_json_writes_nothing_on_stdout()
    {
        var outcome = Run("rollback", "status", "17", "--store", "s", "--frobnicate");

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Equal("", outcome.Out);
        Assert.Contains("--frobnicate", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_usage_error_only_the_whole_command_line_shows_is_a_json_error_too()
    {
        using var dir = new TempDirectory();
        var outcome = Run("log", "repair", dir.Path, "--reason", "restored from backup", "--json");

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        var error = JsonDocument.Parse(outcome.Out).RootElement.GetProperty("error");
        Assert.Equal("RP0051", error.GetProperty("code").GetString());
        Assert.Contains("--accept-rewind", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("--accept-rewind", outcome.Error, StringComparison.Ordinal);
    }
}
