using Rollproof.Common;

namespace Rollproof.Server.Access;

/// <summary>
/// The token file a server was started with, read again whenever it changes on disk (looked at on every request, one
/// stat), so a token added or revoked counts from the next request, with no restart. A file that stops reading
/// admits no token at all until it reads again: a revocation that broke the file must not leave the old tokens valid.
/// </summary>
public sealed class TokenRegistry
{
    private readonly string? _path;
    private readonly Lock _lock = new();
    private (DateTime Written, long Length) _seen;
    private TokenFile _tokens;

    private TokenRegistry(string? path, TokenFile tokens, (DateTime, long) seen) => (_path, _tokens, _seen) = (path, tokens, seen);

    /// <summary>A server started without <c>--token-file</c>: no token is valid, and only public endpoints answer.</summary>
    public static TokenRegistry None { get; } = new(null, TokenFile.Empty, default);

    /// <summary>The registry of the file at <paramref name="path"/>, which must exist and read.</summary>
    public static Result<TokenRegistry> Open(string path)
    {
        var stamp = Stamp(path);
        var tokens = TokenFile.Read(path);
        return tokens.IsOk ? Result<TokenRegistry>.Ok(new TokenRegistry(path, tokens.Value, stamp)) : tokens.Problem;
    }

    /// <summary>The entry for <paramref name="token"/>, or null if the token file (as it is now) holds none.</summary>
    public TokenEntry? Find(string token) => Current().Find(token);

    private TokenFile Current()
    {
        if (_path is null)
            return _tokens;
        var stamp = Stamp(_path);
        lock (_lock)
        {
            if (stamp != _seen)
            {
                var read = TokenFile.Read(_path);
                _tokens = read.IsOk ? read.Value : TokenFile.Empty;
                _seen = stamp;
            }
            return _tokens;
        }
    }

    private static (DateTime, long) Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : default;
    }
}
