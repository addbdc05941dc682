namespace Rollproof.Common;

/// <summary>OpenSSL's libcrypto, the library .NET's own cryptography ends in on Linux, by the names its releases install.</summary>
internal static class LibCrypto
{
    /// <summary>The file names to try, newest release first; the unversioned name is a development link, tried last.</summary>
    public static readonly IReadOnlyList<string> FileNames = ["libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so"];
}
