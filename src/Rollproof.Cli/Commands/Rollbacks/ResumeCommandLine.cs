using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Rollproof.Cli.Commands.Rollbacks;

/// <summary>
/// The exact <c>rollproof rollback resume</c> command that continues a run, built from the command line that started
/// it: the options resume takes (store or server, state, signing, --json), as they were given, quoted for a POSIX shell; the
/// runbook options are left out, since a resume uses the runbook the run began with.
/// </summary>
internal static partial class ResumeCommandLine
{
    private static readonly HashSet<string> Kept = new(["--store", "--server", "--server-log-key", "--state", "--json", "--key", "--passphrase-file", "--signer-command", "--signer-public-key", "--signer-base64"], StringComparer.Ordinal);

    public static string For(ParseResult parse, long request)
    {
        var words = new List<string> { "rollproof", "rollback", "resume", request.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var option in Given(parse.CommandResult).Where(o => !o.Implicit && Kept.Contains(o.Option.Name)))
        {
            words.Add(option.Option.Name);
            // A PIN in a PKCS#11 URI is never shown: the resume then takes it from $ROLLPROOF_PKCS11_PIN or pin-source.
            words.AddRange(option.Tokens.Select(t => Quote(Rollproof.Signing.Pkcs11.Pkcs11Uri.WithoutPinValue(t.Value))));
        }
        return string.Join(' ', words);
    }

    // The options given to the command and to those above it: --server and --server-log-key are the root's
    // (recursive), and their results sit under the command they were given to, or under the root when before it.
    private static IEnumerable<OptionResult> Given(CommandResult command)
    {
        for (var result = command; result is not null; result = result.Parent as CommandResult)
        {
            foreach (var option in result.Children.OfType<OptionResult>())
                yield return option;
        }
    }

    private static string Quote(string word) => Plain().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[A-Za-z0-9_./:=@%+,-]+$")]
    private static partial Regex Plain();
}
