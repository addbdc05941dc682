using System.Globalization;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;

namespace Rollproof.Signing;

/// <summary>
/// One key the trust file names: who it is, which kinds of statement it may sign, and when. A key that is revoked
/// (compromised, not merely rotated) signs nothing valid from <paramref name="RevokedAt"/> on, and what it signed
/// before is suspect: a rollback to a release it signed is refused. <paramref name="AddedAt"/> is the log index of the
/// entry that made the key trusted (the store's trust anchors or a logged key change): it vouches only for entries
/// logged after that, whatever <paramref name="ValidFrom"/> claims, so trust cannot be backdated. A key a verifier
/// names in its own trust file without one is trusted for every index.
/// </summary>
public sealed record TrustedKey(string Name, PublicKey Key, IReadOnlySet<string> Kinds, DateTimeOffset ValidFrom, DateTimeOffset? ValidUntil, DateTimeOffset? RevokedAt = null, long? AddedAt = null)
{
    public bool IsValidAt(DateTimeOffset time) => time >= ValidFrom && (ValidUntil is null || time < ValidUntil) && (RevokedAt is null || time < RevokedAt);

    /// <summary>Valid at <paramref name="time"/> for the entry at <paramref name="logIndex"/>: inside its window, and logged after the key was added.</summary>
    public bool IsValidFor(DateTimeOffset time, long logIndex) => IsValidAt(time) && (AddedAt is null || logIndex > AddedAt);
}

/// <summary>
/// Which keys may sign which kinds of statement (releases: the CI key; approvals: each approver's key), each within a
/// validity window. A statement is judged by the keys valid when it was logged, so rotating a key ends its window
/// without invalidating what it signed before. There is no wildcard kind: each key is granted exactly what it needs.
/// </summary>
/// <remarks>
/// JSON: <c>{"keys":[{"name":"ci-2026","kinds":["release"],"validFrom":"2026-01-01T00:00:00Z",
/// "validUntil":"2027-01-01T00:00:00Z","publicKey":"-----BEGIN PUBLIC KEY-----…"}]}</c>; validUntil, revokedAt and addedAt (the log index that added it) are optional.
/// </remarks>
public sealed class TrustFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public const int MaxSize = 1 << 20;

    private TrustFile(IReadOnlyList<TrustedKey> keys) => Keys = keys;

    public IReadOnlyList<TrustedKey> Keys { get; }

    /// <summary>
    /// The trusted key that signed as <paramref name="keyId"/>, if it may sign <paramref name="kind"/> at
    /// <paramref name="loggedAt"/> for the entry at <paramref name="logIndex"/> (for a statement not yet logged: the
    /// log's size, which its index will be at least).
    /// </summary>
    public Result<TrustedKey> Authorize(string keyId, string kind, DateTimeOffset loggedAt, long logIndex)
    {
        var candidates = Keys.Where(k => k.Key.KeyId == keyId).ToList();
        if (candidates.Count == 0)
            return Refuse($"key {keyId} is not in the trust file");
        var allowed = candidates.Where(k => k.Kinds.Contains(kind)).ToList();
        if (allowed.Count == 0)
            return Refuse($"key '{candidates[0].Name}' may sign {string.Join(", ", candidates[0].Kinds.Order(StringComparer.Ordinal))}, not {kind}");
        var valid = allowed.FirstOrDefault(k => k.IsValidFor(loggedAt, logIndex));
        if (valid is not null)
            return Result<TrustedKey>.Ok(valid);
        var key = allowed[0];
        return key.IsValidAt(loggedAt)
            ? Refuse($"key '{key.Name}' was trusted only from log index {key.AddedAt + 1} on (its key change is entry {key.AddedAt}); entry {logIndex} came before")
            : Refuse($"key '{key.Name}' was not valid at {loggedAt:O} (valid from {key.ValidFrom:O}{(key.ValidUntil is { } until ? $" until {until:O}" : "")}{(key.RevokedAt is { } revoked ? $", revoked at {revoked:O}" : "")})");
    }

    /// <summary>The keys that may sign <paramref name="kind"/> at <paramref name="time"/> for the entry at <paramref name="logIndex"/>, to verify an envelope with.</summary>
    public IReadOnlyList<PublicKey> KeysFor(string kind, DateTimeOffset time, long logIndex) =>
        [.. Keys.Where(k => k.Kinds.Contains(kind) && k.IsValidFor(time, logIndex)).Select(k => k.Key)];

    /// <summary>The name the trust file gives the key with this ID, if it names it.</summary>
    public string? NameOf(string keyId) => Keys.FirstOrDefault(k => k.Key.KeyId == keyId)?.Name;

    /// <summary>An empty trust file: no key may sign anything.</summary>
    public static TrustFile Empty { get; } = new([]);

    public TrustFile With(TrustedKey key) =>
        Keys.Any(k => k.Name == key.Name) ? throw new ArgumentException($"'{key.Name}' is already listed", nameof(key)) : new([.. Keys, key]);

    /// <summary>The same file with the key of <paramref name="key"/>'s name replaced by it.</summary>
    public TrustFile Replace(TrustedKey key) =>
        Keys.Any(k => k.Name == key.Name) ? new([.. Keys.Select(k => k.Name == key.Name ? key : k)]) : throw new ArgumentException($"'{key.Name}' is not listed", nameof(key));

    /// <summary>The JSON that <see cref="Parse"/> reads back.</summary>
    public byte[] ToJson()
    {
        var keys = Keys.Select(k => new Dictionary<string, object>
        {
            ["name"] = k.Name,
            ["kinds"] = k.Kinds.Order(StringComparer.Ordinal).ToArray(),
            ["validFrom"] = Rfc3339(k.ValidFrom),
            ["publicKey"] = k.Key.ToPem(),
        }.Concat(k.ValidUntil is { } until ? [new("validUntil", Rfc3339(until))] : [])
         .Concat(k.RevokedAt is { } revoked ? [new("revokedAt", Rfc3339(revoked))] : [])
         .Concat(k.AddedAt is { } added ? [new("addedAt", added)] : []).ToDictionary());
        return JsonSerializer.SerializeToUtf8Bytes(new { keys }, Indented);
    }

    private static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static Result<TrustFile> Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxSize)
            return Fail("$", $"trust file is {json.Length} bytes, more than the {MaxSize}-byte limit");
        try
        {
            using var document = TextJson.Parse(json.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
                return Fail("$.keys", "must be an array");
            var parsed = new List<TrustedKey>();
            var index = 0;
            foreach (var key in keys.EnumerateArray())
            {
                var one = ParseKey(key, $"$.keys[{index++}]");
                if (!one.IsOk)
                    return one.Problem;
                if (parsed.Any(k => k.Name == one.Value.Name))
                    return Fail($"$.keys[{index - 1}].name", $"'{one.Value.Name}' is listed twice");
                parsed.Add(one.Value);
            }
            return Result<TrustFile>.Ok(new TrustFile(parsed));
        }
        catch (JsonException e)
        {
            return Fail("$", $"not valid JSON: {e.Message}");
        }
    }

    private static Result<TrustedKey> ParseKey(JsonElement key, string path)
    {
        var name = String(key, "name");
        if (string.IsNullOrEmpty(name))
            return KeyFail($"{path}.name", "is required");
        var pem = String(key, "publicKey");
        var publicKey = pem is null ? Result<PublicKey>.Fail(ErrorCodes.TrustFileMalformed, "is required") : PublicKey.FromPem(pem);
        if (!publicKey.IsOk)
            return KeyFail($"{path}.publicKey", publicKey.Problem.Message);
        if (!key.TryGetProperty("kinds", out var kinds) || kinds.ValueKind != JsonValueKind.Array || kinds.GetArrayLength() == 0
            || kinds.EnumerateArray().Any(k => k.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(k.GetString())))
            return KeyFail($"{path}.kinds", "must be a non-empty array of statement kinds (e.g. \"release\", \"approval\")");
        if (!TryTime(String(key, "validFrom"), out var from))
            return KeyFail($"{path}.validFrom", "must be an RFC 3339 time with an offset, e.g. 2026-01-01T00:00:00Z");
        DateTimeOffset? until = null;
        if (String(key, "validUntil") is { } untilText)
        {
            if (!TryTime(untilText, out var parsedUntil) || parsedUntil <= from)
                return KeyFail($"{path}.validUntil", "must be an RFC 3339 time after validFrom");
            until = parsedUntil;
        }
        DateTimeOffset? revoked = null;
        if (String(key, "revokedAt") is { } revokedText)
        {
            if (!TryTime(revokedText, out var parsedRevoked))
                return KeyFail($"{path}.revokedAt", "must be an RFC 3339 time with an offset");
            revoked = parsedRevoked;
        }
        long? addedAt = null;
        if (key.TryGetProperty("addedAt", out var added))
        {
            if (added.ValueKind != JsonValueKind.Number || !added.TryGetInt64(out var index) || index < 0)
                return KeyFail($"{path}.addedAt", "must be the log index of the entry that added the key");
            addedAt = index;
        }
        return Result<TrustedKey>.Ok(new TrustedKey(name, publicKey.Value, kinds.EnumerateArray().Select(k => k.GetString()!).ToHashSet(StringComparer.Ordinal), from, until, revoked, addedAt));
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time)
        && (text!.EndsWith('Z') || text.Contains('+', StringComparison.Ordinal) || text.LastIndexOf('-') > 10);

    private static Result<TrustedKey> KeyFail(string path, string message) => Result<TrustedKey>.Fail(ErrorCodes.TrustFileMalformed, $"{path}: {message}");

    private static Result<TrustFile> Fail(string path, string message) => Result<TrustFile>.Fail(ErrorCodes.TrustFileMalformed, $"{path}: {message}");

    private static Result<TrustedKey> Refuse(string message) => Result<TrustedKey>.Fail(ErrorCodes.KeyNotTrusted, message);
}
