using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Rollproof.Cli.Infrastructure;

/// <summary>
/// Examples for the everyday commands, shown at the end of their <c>--help</c>. Kept here, in one table keyed by the
/// command's path, so that commands stay about what they do and every example is checked to parse (HelpExamplesTests).
/// </summary>
internal static class HelpExamples
{
    /// <summary>Command path (without "rollproof") to the command lines that show it, each without "rollproof".</summary>
    public static IReadOnlyDictionary<string, string[]> ByCommand { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["init"] = ["init store --trust trust.json", "init store --trust trust.json --log-key 'pkcs11:token=log;object=log?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/secrets/hsm-pin'"],
        ["key generate"] = ["key generate alice --keyring keys", "key generate ci --keyring keys --algorithm ed25519 --no-passphrase"],
        ["trust init"] = ["trust init -o trust.json --ci ci=keys/ci.pub --operator ops=keys/ops.pub --approver alice=keys/alice.pub --admin root=keys/root.pub"],
        ["release publish"] = ["release publish --store store --app shop --version 1.4.2 --artifact shop-1.4.2.tgz --sbom sbom.cdx.json --key keys/ci.key"],
        ["release verify"] = ["release verify --store store --app shop --version 1.4.2 --state seen.json"],
        ["deploy record"] = ["deploy record --store store --env prod --app shop --version 1.5.0 --key keys/ops.key"],
        ["query environments"] = ["query environments --store store", "query environments --store store --json"],
        ["policy set"] = ["policy set prod-policy.yaml --store store --key keys/root.key"],
        ["policy show"] = ["policy show --store store --env prod"],
        ["policy approve"] = ["policy approve 12 --store store --key keys/ada.key --comment 'adds erin as approver'"],
        ["policy reject"] = ["policy reject 12 --store store --key keys/ada.key --comment 'erin is not on call yet'"],
        ["rollback request"] = ["rollback request --store store --env prod --to 1.4.2 --reason critical-bug --rationale 'checkout fails since 1.5.0' --ticket INC-42 --key keys/carol.key"],
        ["rollback approve"] = ["rollback approve 17 --store store --key keys/alice.key", "rollback approve 17 --store store --key keys/alice.key --expires-in 4h --condition 'only after the 18:00 freeze'", "rollback approve 17 --amendment 23 --store store --key keys/alice.key"],
        ["rollback reject"] = ["rollback reject 17 --store store --key keys/bob.key --comment '1.4.2 lacks the payment fix'"],
        ["rollback status"] = ["rollback status 17 --store store", "rollback status 17 --store store --json"],
        ["rollback list"] = ["rollback list --store store --env prod", "rollback list --store store --overdue"],
        ["rollback execute"] = ["rollback execute 17 --store store --key keys/ops.key --dry-run", "rollback execute 17 --store store --key keys/ops.key --runbook runbook.yaml --set socket=/run/haproxy.sock"],
        ["rollback resume"] = ["rollback resume 17 --store store --key keys/ops.key"],
        ["rollback review"] = ["rollback review 17 --store store --outcome accepted --comment 'root cause fixed in 1.5.1' --key keys/carol.key"],
        ["drill"] = ["drill --store store --env staging --to 1.4.2 --key keys/ops.key"],
        ["evidence export"] = ["evidence export 17 --store store -o rollback-17.zip"],
        ["evidence verify"] = ["evidence verify rollback-17.zip --trust trust.json"],
        ["serve"] = ["serve --store store --listen 127.0.0.1:8080"],
        ["verify-bundle"] =
        [
            "verify-bundle --bundle app.sigstore.json --certificate-identity https://github.com/org/app/.github/workflows/release.yml@refs/heads/main --certificate-oidc-issuer https://token.actions.githubusercontent.com app.tar.gz",
            "verify-bundle --bundle app.sigstore.json --key cosign.pub --trusted-root trusted_root.json sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf",
        ],
    };

    /// <summary>Makes <paramref name="root"/>'s help end with the examples of the command it describes, if it has any.</summary>
    public static void AddTo(Command root, CliContext cli)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is SynchronousCommandLineAction standard)
            help.Action = new WithExamples(standard, cli);
    }

    /// <summary>
    /// Whether the command line asks for help: then help is shown even when the rest of it would not be valid (a signed
    /// command's "give exactly one of --key and --signer-command"), as anyone typing --help expects.
    /// </summary>
    public static bool Asked(ParseResult parse) => parse.Action is WithExamples or HelpAction;

    /// <summary>A command's path below the root, e.g. "rollback approve".</summary>
    public static string PathOf(Command command)
    {
        var names = new Stack<string>();
        for (Command? c = command; c?.Parents.OfType<Command>().FirstOrDefault() is { } parent; c = parent)
            names.Push(c.Name);
        return string.Join(' ', names);
    }

    private sealed class WithExamples(SynchronousCommandLineAction standard, CliContext cli) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var exit = standard.Invoke(parseResult);
            if (ByCommand.TryGetValue(PathOf(parseResult.CommandResult.Command), out var examples))
            {
                cli.Out.WriteLine("Examples:");
                foreach (var example in examples)
                    cli.Out.WriteLine($"  rollproof {example}");
                cli.Out.WriteLine();
            }
            return exit;
        }
    }
}
