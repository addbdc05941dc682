using System.Text;
using System.Text.Json;
using Rollproof.Common;

namespace Rollproof.Storage;

/// <summary>A user name and password for one registry. Its text never shows the password.</summary>
public sealed class RegistryLogin(string user, string password)
{
    public string User { get; } = user;

    internal string Password { get; } = password;

    public override string ToString() => $"user '{User}'";
}

/// <summary>
/// The registry logins in a Docker client configuration (<c>$DOCKER_CONFIG/config.json</c>, else
/// <c>~/.docker/config.json</c>): <c>auths.HOST.auth</c>, base64 of <c>user:password</c>, as <c>docker login</c>
/// writes it. Credential helpers (<c>credsStore</c>, <c>credHelpers</c>) and identity tokens are not run or read;
/// messages say so when they are all a host has. A damaged file is not fatal: anonymous registries still work, and
/// a registry that asks for credentials gets an answer naming the damage.
/// </summary>
public sealed class RegistryCredentials
{
    private const int MaxSize = 1 << 20;

    private readonly Dictionary<string, RegistryLogin> _logins;
    private readonly HashSet<string> _helperHosts;
    private readonly bool _helperStore;
    private readonly string? _damage;

    private RegistryCredentials(string? source, Dictionary<string, RegistryLogin> logins, HashSet<string> helperHosts, bool helperStore, string? damage)
    {
        Source = source;
        _logins = logins;
        _helperHosts = helperHosts;
        _helperStore = helperStore;
        _damage = damage;
    }

    /// <summary>The configuration file read, for messages; null when there was none.</summary>
    public string? Source { get; }

    public static RegistryCredentials None { get; } = new(null, [], [], false, null);

    /// <summary>The login for a registry host (with its port, if any), or null.</summary>
    public RegistryLogin? For(string host) => _logins.GetValueOrDefault(host);

    /// <summary>Why there is no login for <paramref name="host"/>, as the end of a sentence.</summary>
    public string Missing(string host)
    {
        if (_damage is not null)
            return $"{Source} could not be read: {_damage}";
        if (_helperHosts.Contains(host) || _helperStore)
            return $"{Source} leaves {host} to a credential helper, which Rollproof does not run: add auths.\"{host}\".auth (base64 of user:password)";
        return Source is null
            ? $"no Docker configuration was found ($DOCKER_CONFIG/config.json or ~/.docker/config.json): log in with 'docker login {host}' or write auths.\"{host}\".auth there"
            : $"{Source} has no auths.\"{host}\".auth";
    }

    /// <summary>The file at <paramref name="path"/>, or the default one; a missing file means no logins.</summary>
    public static RegistryCredentials Load(string? path = null)
    {
        path ??= DefaultPath();
        if (path is null || !File.Exists(path))
            return None;
        var bytes = InputFile.Read(path, MaxSize, "Docker configuration");
        if (!bytes.IsOk)
            return Damaged(path, bytes.Problem.Message);
        try
        {
            using var json = JsonDocument.Parse(bytes.Value);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Damaged(path, "$: is not a JSON object");
            var logins = new Dictionary<string, RegistryLogin>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in auths.EnumerateObject())
                {
                    if (entry.Value.ValueKind != JsonValueKind.Object || !entry.Value.TryGetProperty("auth", out var auth) || auth.ValueKind != JsonValueKind.String || auth.GetString() is not { Length: > 0 } encoded)
                        continue;
                    if (Decode(encoded) is not { } login)
                        return Damaged(path, $"auths.\"{entry.Name}\".auth is not base64 of user:password");
                    logins[HostOf(entry.Name)] = login;
                }
            }
            var helpers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("credHelpers", out var credHelpers) && credHelpers.ValueKind == JsonValueKind.Object)
                helpers.UnionWith(credHelpers.EnumerateObject().Select(h => HostOf(h.Name)));
            return new RegistryCredentials(path, logins, helpers, root.TryGetProperty("credsStore", out _), null);
        }
        catch (JsonException e)
        {
            return Damaged(path, $"not valid JSON (line {e.LineNumber + 1})");
        }
    }

    private static string? DefaultPath()
    {
        var dir = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(dir))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(home))
                return null;
            dir = Path.Combine(home, ".docker");
        }
        return Path.Combine(dir, "config.json");
    }

    private static RegistryCredentials Damaged(string path, string why) => new(path, [], [], false, why);

    // Docker keys logins by host, but older clients wrote "https://index.docker.io/v1/": keep the host only.
    private static string HostOf(string key)
    {
        var start = key.IndexOf("://", StringComparison.Ordinal) is var scheme and >= 0 ? scheme + 3 : 0;
        var end = key.IndexOf('/', start);
        return end < 0 ? key[start..] : key[start..end];
    }

    private static RegistryLogin? Decode(string encoded)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? new RegistryLogin(text[..colon], text[(colon + 1)..]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
