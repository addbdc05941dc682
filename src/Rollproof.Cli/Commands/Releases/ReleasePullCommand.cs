using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Storage;

namespace Rollproof.Cli.Commands.Releases;

internal static class ReleasePullCommand
{
    public static Command Create(CliContext cli)
    {
        var from = new Option<string>("--from") { Description = "The release in a registry: oci+https://HOST/REPOSITORY:TAG or …@sha256:DIGEST of its manifest (oci+http:// for a registry on loopback)", Required = true };
        var trust = new Option<string>("--trust") { Description = "Your trust file: the log's key (kind checkpoint) and the keys that may sign releases", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "A new (or empty) directory for the envelope, the log's receipt, the Sigstore bundle and the files (under artifacts/); written only once all of it verifies", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("pull", "Pull a release pushed with 'release push' and verify it with your trust before writing anything: the log's signed timestamp and receipt under the log key you trust, the signer's right to sign releases when it was logged, and every file's digest.")
        {
            from, trust, output, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            var source = Parse(parse.GetValue(from)!);
            if (!source.IsOk)
                return cli.Fail(source.Problem, asJson);
            var trustFile = ReleaseVerifyCommand.ReadTrustFile(parse.GetValue(trust)!);
            if (!trustFile.IsOk)
                return cli.Fail(trustFile.Problem, asJson);
            using var http = RegistryAuthHandler.CreateClient();
            var pulled = await OciReleasePuller.PullAsync(new OciRegistryClient(http, source.Value.Repository), source.Value.Reference, trustFile.Value, parse.GetValue(output)!, cancellation);
            if (!pulled.IsOk)
                return cli.Fail(pulled.Problem, asJson);
            var p = pulled.Value;
            if (asJson)
            {
                cli.WriteJson(new
                {
                    verified = true, app = p.Predicate.App, version = p.Predicate.Version, manifest = p.Manifest.ToString(), signedBy = p.SignedBy, logIndex = p.LogIndex, loggedAt = p.LoggedAt,
                    output = Path.GetFullPath(parse.GetValue(output)!),
                    artifacts = p.Files.Select(f => new { name = f.Name, digest = f.Digest.ToString() }),
                    images = p.Images.Select(i => new { name = i.Name, reference = i.Reference, mediaType = i.MediaType }),
                });
                return ExitCodes.Ok;
            }
            cli.Out.WriteLine($"pulled and verified {p.Predicate.App} {p.Predicate.Version} ({p.Manifest}): signed by {p.SignedBy}, logged at index {p.LogIndex} at {p.LoggedAt:O}; {p.Files.Count} file(s) in {Path.Combine(parse.GetValue(output)!, OciReleasePuller.ArtifactsDirectory)}");
            foreach (var image in p.Images)
                cli.Out.WriteLine($"image {image.Name} {image.Reference}");
            return ExitCodes.Ok;
        });
        return command;
    }

    // oci+http(s)://HOST[:PORT]/REPOSITORY then :TAG or @sha256:HEX; the port's colon is in the host, the tag's in the last path segment.
    private static Result<(OciRepository Repository, string Reference)> Parse(string url)
    {
        if (!url.StartsWith("oci+http://", StringComparison.Ordinal) && !url.StartsWith("oci+https://", StringComparison.Ordinal))
            return Result<(OciRepository, string)>.Fail(ErrorCodes.InputMalformed, $"'{url}' is not oci+https://HOST/REPOSITORY:TAG or …@sha256:DIGEST");
        var text = url[4..];
        string repository, reference;
        if (text.IndexOf('@', StringComparison.Ordinal) is var at and > 0)
        {
            (repository, reference) = (text[..at], text[(at + 1)..]);
            if (!Sha256Digest.Parse(reference).IsOk || !reference.StartsWith("sha256:", StringComparison.Ordinal))
                return Result<(OciRepository, string)>.Fail(ErrorCodes.InputMalformed, $"'{url}': '{reference}' is not a sha256: digest");
        }
        else
        {
            var lastSlash = text.LastIndexOf('/');
            var colon = text.IndexOf(':', lastSlash + 1);
            if (lastSlash < text.IndexOf("//", StringComparison.Ordinal) + 2 || colon < 0)
                return Result<(OciRepository, string)>.Fail(ErrorCodes.InputMalformed, $"'{url}' names no tag or digest: add :VERSION (as 'release push' tagged it) or @sha256:DIGEST");
            (repository, reference) = (text[..colon], text[(colon + 1)..]);
            if (!OciRepository.IsTag(reference))
                return Result<(OciRepository, string)>.Fail(ErrorCodes.InputMalformed, $"'{url}': '{reference}' is not a tag");
        }
        var parsed = OciRepository.Parse(repository);
        return parsed.IsOk ? Result<(OciRepository, string)>.Ok((parsed.Value, reference)) : parsed.Problem;
    }
}
