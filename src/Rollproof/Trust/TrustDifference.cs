using Rollproof.Signing;

namespace Rollproof.Trust;

/// <summary>Names the first way two trusts differ, so a refused trust file says what was changed in it.</summary>
public static class TrustDifference
{
    /// <summary>Null when <paramref name="file"/> says exactly what <paramref name="log"/> does.</summary>
    public static string? Between(TrustFile file, TrustFile log)
    {
        if (file.ToJson().AsSpan().SequenceEqual(log.ToJson()))
            return null;
        foreach (var key in log.Keys)
        {
            var same = file.Keys.FirstOrDefault(k => k.Name == key.Name);
            if (same is null)
                return $"it lacks key '{key.Name}'";
            if (Describe(same) != Describe(key))
                return $"key '{key.Name}' is {Describe(same)} in the file but {Describe(key)} in the log";
        }
        var extra = file.Keys.FirstOrDefault(k => log.Keys.All(l => l.Name != k.Name));
        return extra is not null ? $"it names key '{extra.Name}', which no logged key change added" : "its keys are in another order than the log added them";
    }

    private static string Describe(TrustedKey key) =>
        $"{key.Key.KeyId[..16]} for [{string.Join(", ", key.Kinds.Order(StringComparer.Ordinal))}] from {key.ValidFrom:O}"
        + (key.ValidUntil is { } until ? $" until {until:O}" : "") + (key.RevokedAt is { } revoked ? $" revoked at {revoked:O}" : "")
        + (key.AddedAt is { } added ? $" added at entry {added}" : "");
}
