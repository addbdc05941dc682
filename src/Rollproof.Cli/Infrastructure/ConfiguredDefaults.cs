using System.CommandLine;
using System.CommandLine.Parsing;
using Rollproof.Common;
using Rollproof.Configuration;

namespace Rollproof.Cli.Infrastructure;

/// <summary>
/// Where a value left off the command line comes from: a flag wins, then an environment variable, then
/// <c>rollproof.yaml</c>, then the built-in default (docs/cli.md, "Configure once"). The config file is
/// <c>--config FILE</c>, else <c>$ROLLPROOF_CONFIG</c>, else <c>rollproof.yaml</c> in the current folder. Parent folders
/// are not searched: a file left higher up (in a home or a shared /tmp) must never choose a store or a signing key
/// unnoticed. The file is read only when a value is taken from it, and once per run.
/// </summary>
internal sealed class ConfiguredDefaults(Func<string, string?> environment)
{
    public const string FileName = "rollproof.yaml";
    public const string ConfigVariable = "ROLLPROOF_CONFIG";
    public const string StoreVariable = "ROLLPROOF_STORE";
    public const string KeysVariable = "ROLLPROOF_KEYS";

    private readonly Dictionary<string, RollproofConfig> _read = new(StringComparer.Ordinal);

    /// <summary>On the root command, for every command under it.</summary>
    public Option<string?> ConfigOption { get; } = new("--config")
    {
        Description = $"The config file (default: ${ConfigVariable}, else ./{FileName} if there is one): store, keyring, key and each environment's runbook values",
        Recursive = true,
    };

    public const string ServerVariable = "ROLLPROOF_SERVER";
    public const string ServerLogKeyVariable = "ROLLPROOF_SERVER_LOG_KEY";

    /// <summary>On the root command: a <c>rollproof serve</c> to use in place of <c>--store</c> (<see cref="ServedStore"/>).</summary>
    public Option<string?> ServerOption { get; } = new("--server")
    {
        Description = $"A 'rollproof serve' URL to use in place of --store (default: ${ServerVariable}, else server: in {FileName}); commands then run against a verified local replica of it, and append by submitting signed statements",
        Recursive = true,
    };

    /// <summary>On the root command: the served log's key, as the user holds it; never taken from the server.</summary>
    public Option<string?> ServerLogKeyOption { get; } = new("--server-log-key")
    {
        Description = $"The served log's verifier key (as 'log verify --vkey' takes it) that its checkpoints must be signed with (default: ${ServerLogKeyVariable}, else server-log-key: in {FileName})",
        Recursive = true,
    };

    public string? Variable(string name) => environment(name) is { Length: > 0 } value ? value : null;

    public RollproofConfig Config(SymbolResult result) => Config(result.GetValue(ConfigOption));

    public RollproofConfig Config(ParseResult parse) => Config(parse.GetValue(ConfigOption));

    /// <summary>The store: <c>$ROLLPROOF_STORE</c>, else the config's <c>store</c>; null when neither names one.</summary>
    public string? Store(SymbolResult result) => Variable(StoreVariable) ?? Config(result).Store;

    /// <summary>
    /// The replica of the server named by <c>--server</c> (which wins over <c>$ROLLPROOF_STORE</c>), else
    /// <c>$ROLLPROOF_SERVER</c> (unless <c>$ROLLPROOF_STORE</c> is set), else the config's <c>server</c> (unless it names a
    /// store); null when none names one. A problem when the server is named without the log key to check it with.
    /// </summary>
    public Result<string>? ServedStore(SymbolResult result)
    {
        var server = result.GetValue(ServerOption)
            ?? (Variable(StoreVariable) is null ? Variable(ServerVariable) ?? (Config(result).Store is null ? Config(result).Server : null) : null);
        if (server is null)
            return null;
        if (ServedLog.Url(server) is not { } url)
            return Result<string>.Fail(ErrorCodes.InputMalformed, $"--server '{server}' is not an http:// or https:// URL");
        var logKey = result.GetValue(ServerLogKeyOption) ?? Variable(ServerLogKeyVariable) ?? Config(result).ServerLogKey;
        if (logKey is null)
            return Result<string>.Fail(ErrorCodes.InputMissing, $"--server {server} needs the log key you hold for it: give --server-log-key VKEY, set ${ServerLogKeyVariable}, or server-log-key: in {FileName}");
        return Rollproof.Storage.Remote.ServerReplica.Ensure(url, logKey);
    }

    /// <summary>The keyring: <paramref name="option"/> (<c>--keyring</c>), else <c>$ROLLPROOF_KEYS</c>, else the config's <c>keyring</c>, else the default folder.</summary>
    public Keyring Keyring(ParseResult parse, Option<string?> option) =>
        new(parse.GetValue(option) ?? Variable(KeysVariable) ?? Config(parse).Keyring ?? Infrastructure.Keyring.DefaultDirectory);

    // A file named by --config or $ROLLPROOF_CONFIG must be there; ./rollproof.yaml is optional. An unusable file
    // stops the command (exit 3) rather than be skipped, since its settings would otherwise be silently replaced.
    private RollproofConfig Config(string? option)
    {
        var path = option ?? Variable(ConfigVariable);
        if (path is null && !File.Exists(FileName))
            return RollproofConfig.None;
        var full = Path.GetFullPath(path ?? FileName);
        if (_read.TryGetValue(full, out var known))
            return known;
        var read = ConfigYaml.Read(full);
        if (!read.IsOk)
            throw new ProblemException(read.Problem);
        return _read[full] = read.Value;
    }
}
