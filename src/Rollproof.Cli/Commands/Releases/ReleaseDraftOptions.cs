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

    public Option<string[]> Images { get; } = new("--image") { Description = "A container image of the release, NAME=HOST/REPOSITORY@sha256:HEX (repeat for each; a tag is refused). Its manifest is fetched from the registry, checked against the digest and bound in the statement; runbooks get {{target.image}} and {{target.image.NAME}}", AllowMultipleArgumentsPerToken = true };

    public Option<string?> Sbom { get; } = new("--sbom") { Description = "The CycloneDX JSON SBOM (validated). Without one the statement records \"sbom\": null, and a rollback's analysis cannot compare components" };

    public Option<string?> Provenance { get; } = new("--provenance") { Description = "SLSA Provenance v1 attestation (in-toto statement, DSSE envelope or Sigstore bundle) whose subjects are the artifacts; or build facts JSON (builderId, sourceRepository, sourceCommit, inputs[{name,digest}], generator) from which Rollproof writes one" };

    public Option<string?> Migrations { get; } = new("--migrations") { Description = "Directory of ID.up.sql / ID.down.sql migrations" };

    public Option<string?> RollbackScript { get; } = new("--rollback-script") { Description = "The script that rolls this release back" };

    public Option<string?> Surface { get; } = new("--surface") { Description = "Security surface JSON: routes[], roles[], scopes[], crypto[{purpose,algorithm,keySize}]" };

    public Option<string?> ConfigDigest { get; } = new("--config-digest") { Description = "sha256: digest of the environment-independent configuration" };

    public CosignBundleOptions Cosign { get; } = new();

    public IEnumerable<Option> All => [App, Version, Artifacts, Images, Sbom, Provenance, Migrations, RollbackScript, Surface, ConfigDigest, .. Cosign.All];

    /// <summary>The options every release needs, as a usage rule (exit 2 when missing).</summary>
    public void Validate(System.CommandLine.Parsing.CommandResult result)
    {
        foreach (var required in (Option[])[App, Version])
        {
            if (result.GetResult(required) is null)
                result.AddError($"option '{required.Name}' is required");
        }
        if (result.GetResult(Artifacts) is null && result.GetResult(Images) is null)
            result.AddError("option '--artifact' or '--image' is required: a release ships at least one file or image");
        foreach (var image in result.GetValue(Images) ?? [])
        {
            if (ParseImage(image) is { IsOk: false } bad)
                result.AddError($"--image {bad.Problem.Message}");
        }
        Cosign.Validate(result);
    }

    // NAME=REFERENCE; the name is the image's subject name and its runbook variable's suffix.
    private static Result<(string Name, Storage.ImageReference Reference)> ParseImage(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || !Names.IsValid(text[..equals]))
            return Result<(string, Storage.ImageReference)>.Fail(ErrorCodes.InputMalformed, $"'{text}': expected NAME=HOST/REPOSITORY@sha256:HEX, NAME being {Names.Rule}");
        var reference = Storage.ImageReference.Parse(text[(equals + 1)..]);
        return reference.IsOk ? Result<(string, Storage.ImageReference)>.Ok((text[..equals], reference.Value)) : reference.Problem;
    }

    /// <summary>The release's images, each fetched from its registry and checked against its digest.</summary>
    private async Task<Result<IReadOnlyList<ResolvedImage>?>> ResolveImagesAsync(ParseResult parse, CancellationToken cancellation)
    {
        if (parse.GetValue(Images) is not { Length: > 0 } given)
            return Result<IReadOnlyList<ResolvedImage>?>.Ok(null);
        using var http = Storage.RegistryAuthHandler.CreateClient();
        var images = new List<ResolvedImage>();
        foreach (var text in given)
        {
            var parsed = ParseImage(text);
            if (!parsed.IsOk)
                return parsed.Problem;
            var resolved = await RegistryImages.ResolveAsync(parsed.Value.Name, parsed.Value.Reference, http, cancellation);
            if (!resolved.IsOk)
                return resolved.Problem;
            images.Add(resolved.Value);
        }
        return Result<IReadOnlyList<ResolvedImage>?>.Ok(images);
    }

    public async Task<Result<ReleaseDraft>> ReadAsync(ParseResult parse, CancellationToken cancellation)
    {
        var images = await ResolveImagesAsync(parse, cancellation);
        if (!images.IsOk)
            return images.Problem;
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
        var cosign = Cosign.Read(parse);
        if (!cosign.IsOk)
            return cosign.Problem;
        return Result<ReleaseDraft>.Ok(new ReleaseDraft(parse.GetValue(App)!, parse.GetValue(Version)!, parse.GetValue(Artifacts) ?? [], parse.GetValue(Sbom),
            provenance.Value, parse.GetValue(Migrations), parse.GetValue(RollbackScript), surface.Value, config, images.Value, cosign.Value));
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
