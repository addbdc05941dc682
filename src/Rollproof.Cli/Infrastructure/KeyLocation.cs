using Rollproof.Common;

namespace Rollproof.Cli.Infrastructure;

/// <summary>
/// The file a <c>--key</c> value (or <c>key:</c> in rollproof.yaml) names. A value with a '/' or ending in <c>.key</c>
/// or <c>.pem</c> is a path; any other is a key's name, looked up in the keyring first (<c>NAME.key</c>), then as a
/// file of that name in the current folder (the config's folder for <c>key:</c>). So <c>--key ops</c> is the
/// keyring's key even when a file named <c>ops</c> lies here; <c>--key ./ops</c> is the file.
/// </summary>
internal static class KeyLocation
{
    public static bool IsPath(string value) =>
        value.Contains('/', StringComparison.Ordinal) || value.EndsWith(".key", StringComparison.Ordinal) || value.EndsWith(".pem", StringComparison.Ordinal);

    /// <param name="baseDirectory">What a relative path is relative to; null for the current folder.</param>
    /// <param name="keyring">The keyring, opened only for a name (it may read rollproof.yaml).</param>
    public static Result<string> Find(string value, string? baseDirectory, Func<Keyring> keyring)
    {
        var here = Path.GetFullPath(value, baseDirectory ?? Directory.GetCurrentDirectory());
        if (IsPath(value))
            return Result<string>.Ok(here);
        var inKeyring = keyring().PrivatePath(value);
        if (Keyring.IsValidName(value) && File.Exists(inKeyring))
            return Result<string>.Ok(inKeyring);
        if (File.Exists(here))
            return Result<string>.Ok(here);
        return Result<string>.Fail(ErrorCodes.KeyNotFound, $"no key '{value}': looked in the keyring ({inKeyring}) and for a file {here}. Give a path (with '/' or ending .key or .pem), or the keyring with --keyring DIR, ${ConfiguredDefaults.KeysVariable} or keyring: in {ConfiguredDefaults.FileName}");
    }
}
