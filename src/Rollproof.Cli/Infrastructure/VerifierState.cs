namespace Rollproof.Cli.Infrastructure;

/// <summary>Where a verifier remembers the last checkpoint it saw of a log, unless told otherwise (--state).</summary>
internal static class VerifierState
{
    // The verifier's memory must not live in the store it checks: whoever controls the store could reset it.
    public static string DefaultPath(string logVerifierKey)
    {
        var directory = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "rollproof", "seen");
        Directory.CreateDirectory(directory);
        var name = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(logVerifierKey)))[..32];
        return Path.Combine(directory, name + ".checkpoint");
    }
}
