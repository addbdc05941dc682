using System.Text.RegularExpressions;
using Rollproof.Common;

namespace Rollproof.Storage;

/// <summary>
/// One repository of an OCI Distribution registry, written as a URL: <c>https://registry.example/team/app</c>. The
/// scheme is required, so that plain HTTP is always a visible choice.
/// </summary>
public sealed partial record OciRepository
{
    private OciRepository(Uri registry, string name)
    {
        Registry = registry;
        Name = name;
    }

    /// <summary>The registry's root, e.g. <c>http://127.0.0.1:5000/</c>; the API lives under <c>/v2/</c>.</summary>
    public Uri Registry { get; }

    public string Name { get; }

    public static Result<OciRepository> Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return Fail(url, "expected http:// or https://, the registry's host and the repository's name");
        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            return Fail(url, "a repository URL holds no user name, query or fragment");
        // Uri resolves "a/../b", "./" and "\" silently: refuse them, or a push could land in another repository.
        var written = url[(url.IndexOf("//", StringComparison.Ordinal) + 2)..];
        var path = written.IndexOf('/') is var slash and >= 0 ? written[slash..] : "";
        if (written.Contains('\\', StringComparison.Ordinal) || path.Split('/').Any(p => p is "." or ".."))
            return Fail(url, "the repository path may not hold '.', '..' or '\\'");
        var name = uri.AbsolutePath.Trim('/');
        if (name.Length is 0 or > 255 || !NamePattern().IsMatch(name))
            return Fail(url, $"'{name}' is not a repository name (lowercase letters and digits, separated by '.', '_', '__', '-' or '/')");
        return Result<OciRepository>.Ok(new OciRepository(new Uri(uri.GetLeftPart(UriPartial.Authority) + "/"), name));
    }

    /// <summary>Tags are what OCI Distribution allows: 1 to 128 of letters, digits, '_', '.' and '-', not starting with '.' or '-'.</summary>
    public static bool IsTag(string reference) => TagPattern().IsMatch(reference);

    internal Uri Api(string path) => new(Registry, $"v2/{Name}/{path}");

    public override string ToString() => $"repository '{Name}' of registry {Registry}";

    private static Result<OciRepository> Fail(string url, string reason) =>
        Result<OciRepository>.Fail(ErrorCodes.InputMalformed, $"'{url}' is not an OCI repository URL: {reason}");

    [GeneratedRegex(@"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\z")]
    private static partial Regex TagPattern();
}
