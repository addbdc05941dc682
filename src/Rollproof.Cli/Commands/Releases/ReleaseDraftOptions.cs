using System.CommandLine;
using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Releases.Provenance;

namespace Rollproof.Cli.Commands.Releases;

/// <summary>The files and facts that make up a release, as 'release create' and 'release publish' take them.</summary>
internal sealed class ReleaseDraftOptions
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true };

    public Option<string?> App { get; } = new("--app") { Description = "The application's name" };

    public Option<string?> Version { get; } = new("--version") { Description = "The version being released" };

    public Option<string[]> Artifacts { get; } = new("--artifact") { Description = "A release artifact file (repeat for each)", AllowMultipleArgumentsPerToken = true };

    public Option<string?> Sbom { get; } = new("--sbom") { Description = "The CycloneDX JSON SBOM (validated). Without one the statement records \"sbom\": null, and a rollback's analysis cannot compare components" };

    public Option<string?> Provenance { get; } = new("--provenance") { Description = "SLSA Provenance v1 attestation (in-toto statement, DSSE envelope or Sigstore bundle) whose subjects are the artifacts; or build facts JSON (builderId, sourceRepository, sourceCommit, inputs[{name,digest}], generator) from which Rollproof writes one" };

    public Option<string?> Migrations { get; } = new("--migrations") { Description = "Directory of ID.up.sql / ID.down.sql migrations" };

    public Option<string?> RollbackScript { get; } = new("--rollback-script") { Description = "The script that rolls this release back" };

    public Option<string?> Surface { get; } = new("--surface") { Description = "Security surface JSON: routes[], roles[], scopes[], crypto[{purpose,algorithm,keySize}]" };

    public Option<string?> ConfigDigest { get; } = new("--config-digest") { Description = "sha256: digest of the environment-independent configuration" };

    public IEnumerable<Option> All => [App, Version, Artifacts, Sbom, Provenance, Migrations, RollbackScript, Surface, ConfigDigest];

    /// <summary>The options every release needs, as a usage rule (exit 2 when missing).</summary>
    public void Validate(System.CommandLine.Parsing.CommandResult result)
    {
        foreach (var required in (Option[])[App, Version, Artifacts])
        {
            if (result.GetResult(required) is null)
                result.AddError($"option '{required.Name}' is required");
        }
    }

    public Result<ReleaseDraft> Read(ParseResult parse)
    {
        var provenance = ReadProvenance(parse.GetValue(Provenance));
        if (!provenance.IsOk)
            return provenance.Problem;
        var surface = ReadJson<SecuritySurface>(parse.GetValue(Surface), "security surface");
        if (!surface.IsOk)
            return surface.Problem;
        string? config = null;
        if (parse.GetValue(ConfigDigest) is { } text)
        {
            var digest = Storage.Sha256Digest.Parse(text);
            if (!digest.IsOk)
                return digest.Problem;
            config = digest.Value.ToString();
        }
        return Result<ReleaseDraft>.Ok(new ReleaseDraft(parse.GetValue(App)!, parse.GetValue(Version)!, parse.GetValue(Artifacts)!, parse.GetValue(Sbom),
            provenance.Value, parse.GetValue(Migrations), parse.GetValue(RollbackScript), surface.Value, config));
    }

    private static Result<ProvenanceSource?> ReadProvenance(string? file)
    {
        if (file is null)
            return Result<ProvenanceSource?>.Ok(null);
        var bytes = InputFile.Read(file, ProvenanceSource.MaxSize, "provenance file");
        if (!bytes.IsOk)
            return bytes.Problem;
        var source = ProvenanceSource.Read(bytes.Value, file);
        return source.IsOk ? Result<ProvenanceSource?>.Ok(source.Value) : source.Problem;
    }

    private static Result<T?> ReadJson<T>(string? file, string what)
        where T : class
    {
        if (file is null)
            return Result<T?>.Ok(null);
        var bytes = InputFile.Read(file, 1 << 20, what + " file");
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
