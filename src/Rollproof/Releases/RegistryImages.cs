using Rollproof.Common;
using Rollproof.Storage;

namespace Rollproof.Releases;

/// <summary>What a registry says of a release's image now: its manifest matches the signed digest, or the registry could not be asked.</summary>
public sealed record ImageCheck(ContainerImage Image, bool Checked, string Detail);

/// <summary>
/// Container images as their registries serve them: fetched by digest at publish (the bytes must hash to the digest
/// asked for), and checked again at verify. A registry that cannot be reached is reported as such, never as a match;
/// one that answers without the manifest, or with other bytes, fails the check.
/// </summary>
public static class RegistryImages
{
    public static async Task<Result<ResolvedImage>> ResolveAsync(string name, ImageReference reference, HttpClient http, CancellationToken cancellation = default)
    {
        var manifest = await new OciRegistryClient(http, reference.Registry()).GetImageManifestAsync(reference.Digest, cancellation);
        return manifest.IsOk
            ? Result<ResolvedImage>.Ok(new ResolvedImage(name, reference, manifest.Value))
            : manifest.Problem with { Message = $"image {name} ({reference}): {manifest.Problem.Message}" };
    }

    public static async Task<Result<IReadOnlyList<ImageCheck>>> CheckAsync(IReadOnlyList<ContainerImage> images, HttpClient http, CancellationToken cancellation = default)
    {
        var checks = new List<ImageCheck>();
        foreach (var image in images)
        {
            var reference = ImageReference.Parse(image.Reference);
            if (!reference.IsOk)
                return reference.Problem with { Code = ErrorCodes.ImageMismatch };
            Result<ImageManifest> served;
            try
            {
                served = await new OciRegistryClient(http, reference.Value.Registry()).GetImageManifestAsync(reference.Value.Digest, cancellation);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellation.IsCancellationRequested))
            {
                checks.Add(new ImageCheck(image, false, $"registry {reference.Value.Host} could not be reached ({e.Message})"));
                continue;
            }
            if (served is { IsOk: false, Problem.Code: ErrorCodes.RegistryAuthFailed })
            {
                checks.Add(new ImageCheck(image, false, served.Problem.Message));
                continue;
            }
            if (!served.IsOk)
                return Result<IReadOnlyList<ImageCheck>>.Fail(ErrorCodes.ImageMismatch, $"image {image.Name} ({image.Reference}): {served.Problem.Message}");
            if (served.Value.MediaType != image.MediaType)
                return Result<IReadOnlyList<ImageCheck>>.Fail(ErrorCodes.ImageMismatch, $"image {image.Name} ({image.Reference}) is served as '{served.Value.MediaType}', signed as '{image.MediaType}'");
            checks.Add(new ImageCheck(image, true, "manifest matches the signed digest"));
        }
        return Result<IReadOnlyList<ImageCheck>>.Ok(checks);
    }
}
