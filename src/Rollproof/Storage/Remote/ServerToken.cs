namespace Rollproof.Storage.Remote;

/// <summary>
/// The API token a command presents to a server: set once per command line from its environment
/// (<c>$ROLLPROOF_TOKEN</c>), read by every <see cref="ServerClient"/> that command opens. Async-local, so command lines
/// run side by side in one process each present their own; never stored or printed.
/// </summary>
public static class ServerToken
{
    public const string Variable = "ROLLPROOF_TOKEN";

    private static readonly AsyncLocal<string?> Current = new();

    public static string? Value
    {
        get => Current.Value;
        set => Current.Value = value;
    }
}
