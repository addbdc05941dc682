using System.Net;
using Rollproof.Common;

namespace Rollproof.Storage;

/// <summary>
/// A container image pinned by digest, as Docker writes it: <c>HOST[:PORT]/REPOSITORY@sha256:HEX</c>. The host is
/// required (no implied Docker Hub) and a tag is refused: a tag can be moved, so a release names what it ships by
/// digest only. Loopback registries are spoken to over plain HTTP, as Docker does; all others over HTTPS.
/// </summary>
public sealed record ImageReference(string Host, string Name, Sha256Digest Digest)
{
    /// <summary>The image's repository with its host, e.g. <c>registry.example/team/web</c>.</summary>
    public string Repository => $"{Host}/{Name}";

    public override string ToString() => $"{Repository}@{Digest}";

    public static Result<ImageReference> Parse(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
            return Fail(text, "no digest: give the image as HOST/REPOSITORY@sha256:HEX (a tag can be moved, so a release names an image by digest only; 'skopeo inspect --format {{.Digest}}' or 'docker buildx imagetools inspect' prints it)");
        var repository = text[..at];
        var digestText = text[(at + 1)..];
        var digest = digestText.StartsWith("sha256:", StringComparison.Ordinal) ? Sha256Digest.Parse(digestText) : Result<Sha256Digest>.Fail(ErrorCodes.DigestMalformed, "expected sha256:HEX");
        if (!digest.IsOk)
            return Fail(text, $"'{digestText}' is not a sha256 digest ({digest.Problem.Message})");
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
            return Fail(text, "no registry host: write it in full, e.g. registry.example/team/web@sha256:…");
        var host = repository[..slash];
        if (!host.Contains('.', StringComparison.Ordinal) && !host.Contains(':', StringComparison.Ordinal) && host != "localhost")
            return Fail(text, $"'{host}' is not a registry host (a host has a '.' or a ':port', or is localhost); Docker Hub images are written docker.io/library/NAME");
        var lastPart = repository[(repository.LastIndexOf('/') + 1)..];
        if (lastPart.Contains(':', StringComparison.Ordinal))
            return Fail(text, "a tag and a digest together: drop the tag, the digest alone names the image");
        var parsed = OciRepository.Parse($"{SchemeFor(host)}://{repository}");
        if (!parsed.IsOk)
            return Fail(text, parsed.Problem.Message);
        return Result<ImageReference>.Ok(new ImageReference(host, parsed.Value.Name, digest.Value));
    }

    /// <summary>The repository to fetch the manifest from.</summary>
    public OciRepository Registry() => OciRepository.Parse($"{SchemeFor(Host)}://{Repository}").Value;

    private static string SchemeFor(string host)
    {
        var name = host.StartsWith('[') ? host[..(host.IndexOf(']') + 1)] : host.Split(':')[0];
        var loopback = name == "localhost" || (IPAddress.TryParse(name.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
        return loopback ? "http" : "https";
    }

    private static Result<ImageReference> Fail(string text, string reason) =>
        Result<ImageReference>.Fail(ErrorCodes.InputMalformed, $"'{text}' is not an image reference: {reason}");
}
