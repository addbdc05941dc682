using System.CommandLine;
using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Releases;

namespace Rollproof.Cli.Commands.Releases;

internal static class ReleasePublishCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true };

    public static Command Create(CliContext cli)
    {
        var store = new Option<string>("--store") { Description = "The store (see 'rollproof init')", Required = true };
        var app = new Option<string>("--app") { Description = "The application's name", Required = true };
        var version = new Option<string>("--version") { Description = "The version being released", Required = true };
        var artifacts = new Option<string[]>("--artifact") { Description = "A release artifact file (repeat for each)", Required = true, AllowMultipleArgumentsPerToken = true };
        var sbom = new Option<string>("--sbom") { Description = "The CycloneDX JSON SBOM (validated)", Required = true };
        var provenance = new Option<string?>("--provenance") { Description = "Build provenance JSON: builderId, sourceRepository, sourceCommit, inputs[{name,digest}], generator{name,modelVersion,validationSteps[]}" };
        var migrations = new Option<string?>("--migrations") { Description = "Directory of ID.up.sql / ID.down.sql migrations" };
        var rollbackScript = new Option<string?>("--rollback-script") { Description = "The script that rolls this release back" };
        var surface = new Option<string?>("--surface") { Description = "Security surface JSON: routes[], roles[], scopes[], crypto[{purpose,algorithm,keySize}]" };
        var configDigest = new Option<string?>("--config-digest") { Description = "sha256: digest of the environment-independent configuration" };
        var signer = new ReleaseSignerOptions();
        var json = CommonOptions.Json();
        var command = new Command("publish", "Sign a release statement (artifacts by digest, SBOM, provenance, migrations, rollback script, security surface), store every file by digest, append the envelope to the log and write its receipt.")
        {
            store, app, version, artifacts, sbom, provenance, migrations, rollbackScript, surface, configDigest, json,
        };
        foreach (var option in signer.All)
            command.Options.Add(option);
        command.Validators.Add(result =>
        {
            if ((result.GetResult(signer.Key) is null) == (result.GetResult(signer.SignerCommand) is null))
                result.AddError("give exactly one of --key and --signer-command");
        });
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            var provenanceValue = ReadJson<BuildProvenance>(parse.GetValue(provenance), "provenance");
            if (!provenanceValue.IsOk)
                return cli.Fail(provenanceValue.Problem, asJson);
            var surfaceValue = ReadJson<SecuritySurface>(parse.GetValue(surface), "security surface");
            if (!surfaceValue.IsOk)
                return cli.Fail(surfaceValue.Problem, asJson);
            var config = parse.GetValue(configDigest) is { } text ? Storage.Sha256Digest.Parse(text) : (Result<Storage.Sha256Digest>?)null;
            if (config is { IsOk: false })
                return cli.Fail(config.Value.Problem!, asJson);
            var key = signer.Resolve(parse, cli);
            if (!key.IsOk)
                return cli.Fail(key.Problem, asJson);
            var draft = new ReleaseDraft(parse.GetValue(app)!, parse.GetValue(version)!, parse.GetValue(artifacts)!, parse.GetValue(sbom), provenanceValue.Value,
                parse.GetValue(migrations), parse.GetValue(rollbackScript), surfaceValue.Value, config?.Value.ToString());
            Result<PublishedRelease> published;
            try
            {
                published = await opened.Value.PublishAsync(draft, key.Value, TimeProvider.System, cancellation);
            }
            finally
            {
                (key.Value as IDisposable)?.Dispose();
            }
            if (!published.IsOk)
                return cli.Fail(published.Problem, asJson);
            var (record, receipt, signedBy) = published.Value;
            if (asJson)
                cli.WriteJson(new { app = record.App, version = record.Version, logIndex = record.LogIndex, envelopeDigest = record.EnvelopeDigest, signedBy, receipt = receipt.Format() });
            else
                cli.Out.WriteLine($"published {record.App} {record.Version}: log index {record.LogIndex}, envelope {record.EnvelopeDigest}, signed by {signedBy}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Result<T?> ReadJson<T>(string? file, string what)
        where T : class
    {
        if (file is null)
            return Result<T?>.Ok(null);
        var bytes = LogAccess.ReadInput(file, 1 << 20, what + " file");
        if (!bytes.IsOk)
            return bytes.Problem;
        try
        {
            return Result<T?>.Ok(JsonSerializer.Deserialize<T>(bytes.Value, Json));
        }
        catch (JsonException e)
        {
            return Result<T?>.Fail(ErrorCodes.InputMalformed, $"{what} file '{file}': {e.Path}: {e.Message}");
        }
    }
}
