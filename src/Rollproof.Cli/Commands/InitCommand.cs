using System.CommandLine;
using System.Text.RegularExpressions;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Storage;

namespace Rollproof.Cli.Commands;

internal static partial class InitCommand
{
    public static Command Create(CliContext cli)
    {
        var dir = new Argument<string>("DIR") { Description = "A new or empty directory for the store: log/, artifacts/, releases/, trust.json" };
        var origin = new Option<string?>("--origin") { Description = "The log's origin, a name unique to this log, e.g. example.com/releases (default: rollproof.local/ and the directory's name)" };
        var logKey = new Option<string?>("--log-key") { Description = "The log's key: a signer-key file ('rollproof log keygen ORIGIN -o FILE') or a pkcs11: URI naming a key in a token (no key file is written; PIN from pin-source=file: or $ROLLPROOF_PKCS11_PIN, never pin-value: the store keeps the URI); default: a new Ed25519 key in DIR/.rollproof/log.key, mode 0600, unencrypted because the log signs unattended" };
        var trust = new Option<string?>("--trust") { Description = "A trust file to start from (which keys may sign releases, approvals, … and when); default: empty, and the first key to publish a release is trusted from then on" };
        var artifacts = new Option<string?>("--artifacts") { Description = "Keep blobs in an S3-compatible bucket instead of DIR/artifacts: s3://BUCKET[/PREFIX] (AWS) or s3+http(s)://HOST:PORT/BUCKET[/PREFIX] (path-style); credentials come from the AWS SDK's usual places (AWS_ACCESS_KEY_ID, profiles, roles)" };
        var json = CommonOptions.Json();
        var command = new Command("init", "Create a Rollproof store: a transparency log, a content-addressed artifact store, release records and the store's trust file.")
        {
            dir, origin, logKey, trust, artifacts, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            TrustFile? startingTrust = null;
            if (parse.GetValue(trust) is { } trustFile)
            {
                var bytes = InputFile.Read(trustFile, TrustFile.MaxSize, "trust file");
                var parsed = bytes.IsOk ? TrustFile.Parse(bytes.Value) : bytes.Problem;
                if (!parsed.IsOk)
                    return cli.Fail(parsed.Problem with { Message = $"{trustFile}: {parsed.Problem.Message}" }, asJson);
                startingTrust = parsed.Value;
            }
            ArtifactLocation? location = null;
            if (parse.GetValue(artifacts) is { } url)
            {
                var parsed = ArtifactLocation.Parse(url);
                if (!parsed.IsOk)
                    return cli.Fail(parsed.Problem, asJson);
                location = parsed.Value;
            }
            var directory = parse.GetValue(dir)!;
            var store = ReleaseStore.Init(directory, parse.GetValue(origin) ?? DefaultOrigin(directory), parse.GetValue(logKey), startingTrust, artifacts: location);
            if (!store.IsOk)
                return cli.Fail(store.Problem, asJson);
            var config = store.Value.Log.Config;
            if (asJson)
                cli.WriteJson(new { store = store.Value.Root, origin = config.Origin, logVerifierKey = config.VerifierKey, logKeyFile = config.KeyFile, trustFile = store.Value.TrustPath, artifacts = location?.Url ?? Path.Combine(store.Value.Root, "artifacts") });
            else
                cli.Out.WriteLine($"created store in {store.Value.Root}\nlog origin: {config.Origin}\nlog verifier key: {config.VerifierKey}\nlog signer key: {config.KeyFile}\nartifacts: {location?.Url ?? Path.Combine(store.Value.Root, "artifacts")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string DefaultOrigin(string directory)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
        return "rollproof.local/" + (name.Length == 0 ? "store" : Unsafe().Replace(name, "-"));
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex Unsafe();
}
