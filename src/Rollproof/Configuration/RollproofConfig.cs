namespace Rollproof.Configuration;

/// <summary>
/// What a team writes once in <c>rollproof.yaml</c> instead of on every command: the store, the keyring, the default
/// signing key, and each environment's runbook values. Folders are absolute, resolved against the file's own folder.
/// </summary>
public sealed record RollproofConfig(string? File, string? Store, string? Keyring, string? Key, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Environments)
{
    private static readonly IReadOnlyDictionary<string, string> NoValues = new Dictionary<string, string>();

    /// <summary>A <c>rollproof serve</c> to use in place of a local store (<c>server:</c>).</summary>
    public string? Server { get; init; }

    /// <summary>The served log's key the team holds (<c>server-log-key:</c>, a verifier key string): its checkpoints are checked with it.</summary>
    public string? ServerLogKey { get; init; }

    /// <summary>No config file: every setting comes from the command line, the environment or its default.</summary>
    public static RollproofConfig None { get; } = new(null, null, null, null, new Dictionary<string, IReadOnlyDictionary<string, string>>());

    /// <summary>The folder relative paths in the file are taken from; null without a file.</summary>
    public string? Directory => File is null ? null : Path.GetDirectoryName(File);

    public IReadOnlyDictionary<string, string> ValuesFor(string environment) => Environments.GetValueOrDefault(environment) ?? NoValues;
}
