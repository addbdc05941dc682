using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Transparency;

namespace Rollproof.Cli.Infrastructure;

/// <summary>A log named by its URL rather than its directory: a <c>rollproof serve</c>, or any tlog-tiles server.</summary>
internal static class ServedLog
{
    /// <summary>The URL when <paramref name="location"/> is an http(s) URL, else null (a directory).</summary>
    public static Uri? Url(string location) =>
        Uri.TryCreate(location, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) ? url : null;

    public static HttpClient Client() => new() { Timeout = TimeSpan.FromSeconds(30) };

    public static Result<VerifiedCheckpoint> ReadCheckpoint(ILogStorage storage, INoteVerifier logKey) =>
        storage.Read(TilePath.Checkpoint) is { } stored
            ? Checkpoint.Open(stored, logKey)
            : Result<VerifiedCheckpoint>.Fail(ErrorCodes.LogNotInitialised, "the served log has no checkpoint (404)");
}
