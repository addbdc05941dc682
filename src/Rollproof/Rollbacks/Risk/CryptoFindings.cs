using System.Globalization;
using System.Text.Json;
using Rollproof.Releases;

namespace Rollproof.Rollbacks.Risk;

/// <summary>
/// Cryptography the rollback weakens: per declared purpose (the release's security surface), a weaker algorithm, a
/// shorter key, or any change of a signing algorithm (signatures the current release makes stop verifying under the
/// target's, and the other way round: the classic regression); and in the target's CycloneDX cryptographic assets,
/// algorithms weaker than the current release's for the same primitive, shorter keys, certificates expired by now, and
/// certificates marked revoked (property <c>rollproof:revoked</c> = <c>true</c>: CycloneDX has no revocation field).
/// </summary>
internal static class CryptoFindings
{
    public static IEnumerable<RiskFinding> FromSurface(SecuritySurface current, SecuritySurface target)
    {
        var before = current.Crypto.GroupBy(c => c.Purpose, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var then in target.Crypto.GroupBy(c => c.Purpose, StringComparer.Ordinal).Select(g => g.First()))
        {
            if (!before.TryGetValue(then.Purpose, out var now))
                continue;
            var evidence = new[] { ("purpose", then.Purpose), ("current", Describe(now)), ("target", Describe(then)) };
            if (!string.Equals(now.Algorithm, then.Algorithm, StringComparison.OrdinalIgnoreCase) && then.Purpose.Contains("sign", StringComparison.OrdinalIgnoreCase))
                yield return RiskFinding.Of(RiskCodes.SignatureAlgorithmChanged, Severity.High, $"{then.Purpose} changes from {Describe(now)} to {Describe(then)}: signatures made by one will not verify under the other", evidence);
            if (CryptoStrength.Bits(then.Algorithm, then.KeySize) < CryptoStrength.Bits(now.Algorithm, now.KeySize))
                yield return RiskFinding.Of(RiskCodes.WeakerAlgorithm, Severity.High, $"{then.Purpose} goes from {Describe(now)} to the weaker {Describe(then)}", evidence);
            else if (then.KeySize < now.KeySize && string.Equals(now.Algorithm, then.Algorithm, StringComparison.OrdinalIgnoreCase))
                yield return RiskFinding.Of(RiskCodes.ShorterKey, Severity.High, $"{then.Purpose} keys shrink from {now.KeySize} to {then.KeySize} bits", evidence);
        }
    }

    public static IEnumerable<RiskFinding> FromAssets(SbomComponents? current, SbomComponents target, DateTimeOffset now)
    {
        var assets = target.All.Where(c => c.Type == "cryptographic-asset" && Properties(c) is { ValueKind: JsonValueKind.Object }).ToList();
        var currentAssets = current?.All.Where(c => c.Type == "cryptographic-asset" && Properties(c) is { ValueKind: JsonValueKind.Object }).ToList() ?? [];
        foreach (var asset in assets)
        {
            var properties = Properties(asset)!.Value;
            switch (SbomComponents.Text(properties, "assetType"))
            {
                case "algorithm" when Weaker(asset, properties, currentAssets) is { } finding:
                    yield return finding;
                    break;
                case "certificate":
                    foreach (var finding in Certificate(asset, properties, now))
                        yield return finding;
                    break;
                case "related-crypto-material" when ShorterKey(asset, properties, currentAssets) is { } finding:
                    yield return finding;
                    break;
            }
        }
    }

    private static RiskFinding? Weaker(SbomComponent asset, JsonElement properties, List<SbomComponent> currentAssets)
    {
        if (!properties.TryGetProperty("algorithmProperties", out var algorithm) || algorithm.ValueKind != JsonValueKind.Object)
            return null;
        var primitive = SbomComponents.Text(algorithm, "primitive");
        var level = Number(algorithm, "classicalSecurityLevel");
        var weakestCurrent = currentAssets
            .Select(c => Properties(c)!.Value)
            .Where(p => p.TryGetProperty("algorithmProperties", out var a) && a.ValueKind == JsonValueKind.Object && SbomComponents.Text(a, "primitive") == primitive)
            .Select(p => Number(p.GetProperty("algorithmProperties"), "classicalSecurityLevel"))
            .Min();
        return level is not null && weakestCurrent is not null && level < weakestCurrent
            ? RiskFinding.Of(RiskCodes.WeakerAlgorithm, Severity.High, $"{asset.Name} ({primitive}) offers {level} bits where the current release's weakest {primitive} offers {weakestCurrent}",
                ("asset", asset.Name), ("primitive", primitive ?? ""), ("target", level.Value.ToString(CultureInfo.InvariantCulture)), ("current", weakestCurrent.Value.ToString(CultureInfo.InvariantCulture)))
            : null;
    }

    private static IEnumerable<RiskFinding> Certificate(SbomComponent asset, JsonElement properties, DateTimeOffset now)
    {
        if (properties.TryGetProperty("certificateProperties", out var certificate) && certificate.ValueKind == JsonValueKind.Object
            && SbomComponents.Text(certificate, "notValidAfter") is { } until && DateTimeOffset.TryParse(until, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiry) && expiry <= now)
            yield return RiskFinding.Of(RiskCodes.CertificateExpired, Severity.High, $"certificate {asset.Name} in the target expired at {expiry:O}", ("asset", asset.Name), ("notValidAfter", until));
        if (asset.Element.TryGetProperty("properties", out var list) && list.ValueKind == JsonValueKind.Array
            && list.EnumerateArray().Any(p => p.ValueKind == JsonValueKind.Object && SbomComponents.Text(p, "name") == "rollproof:revoked" && SbomComponents.Text(p, "value") == "true"))
            yield return RiskFinding.Of(RiskCodes.CertificateRevoked, Severity.Critical, $"certificate {asset.Name} in the target has been revoked", ("asset", asset.Name));
    }

    private static RiskFinding? ShorterKey(SbomComponent asset, JsonElement properties, List<SbomComponent> currentAssets)
    {
        if (!properties.TryGetProperty("relatedCryptoMaterialProperties", out var material) || material.ValueKind != JsonValueKind.Object || Number(material, "size") is not { } size)
            return null;
        var type = SbomComponents.Text(material, "type");
        var before = currentAssets.FirstOrDefault(c => c.Name == asset.Name && Properties(c)!.Value.TryGetProperty("relatedCryptoMaterialProperties", out var m)
            && m.ValueKind == JsonValueKind.Object && SbomComponents.Text(m, "type") == type);
        var previous = before is null ? null : Number(Properties(before)!.Value.GetProperty("relatedCryptoMaterialProperties"), "size");
        return previous is not null && size < previous
            ? RiskFinding.Of(RiskCodes.ShorterKey, Severity.High, $"{type} {asset.Name} shrinks from {previous} to {size} bits", ("asset", asset.Name), ("current", previous.Value.ToString(CultureInfo.InvariantCulture)), ("target", size.ToString(CultureInfo.InvariantCulture)))
            : null;
    }

    private static JsonElement? Properties(SbomComponent component) =>
        component.Element.TryGetProperty("cryptoProperties", out var p) ? p : null;

    private static int? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    private static string Describe(CryptoChoice choice) => choice.KeySize is { } bits ? $"{choice.Algorithm} ({bits} bits)" : choice.Algorithm;
}
