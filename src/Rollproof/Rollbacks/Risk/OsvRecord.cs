using System.Text.Json;
using Rollproof.Common;

namespace Rollproof.Rollbacks.Risk;

/// <summary>
/// One OSV advisory, reduced to what a rollback needs: which package versions it affects. Versions are matched by the
/// exact <c>versions</c> list and by SEMVER and ECOSYSTEM ranges (introduced … fixed, or … last_affected); GIT ranges
/// and versions that cannot be ordered do not match.
/// </summary>
internal sealed record OsvRecord(string Id, IReadOnlyList<string> Aliases, Severity Severity, IReadOnlyList<OsvRecord.Package> Affected)
{
    /// <summary>An affected package, known by its package-URL key and by its bare name (for components that have no purl).</summary>
    internal sealed record Package(IReadOnlySet<string> Keys, IReadOnlySet<string> Versions, IReadOnlyList<IReadOnlyList<(string Event, string Version)>> Ranges);

    // OSV ecosystems and the purl types that name the same packages.
    private static readonly Dictionary<string, string> PurlTypes = new(StringComparer.Ordinal)
    {
        ["npm"] = "npm", ["PyPI"] = "pypi", ["Maven"] = "maven", ["Go"] = "golang", ["crates.io"] = "cargo", ["NuGet"] = "nuget",
        ["RubyGems"] = "gem", ["Packagist"] = "composer", ["Hex"] = "hex", ["Pub"] = "pub", ["Debian"] = "deb", ["Alpine"] = "apk",
    };

    public bool Affects(string key, string version) =>
        Affected.Any(p => p.Keys.Contains(key) && (p.Versions.Contains(version) || p.Ranges.Any(r => InRange(r, version, key))));

    private static bool InRange(IReadOnlyList<(string Event, string Version)> events, string version, string key)
    {
        var affected = false;
        foreach (var (kind, at) in events)
        {
            var order = at == "0" && kind == "introduced" ? 1 : VersionOrder.Compare(version, at, key);
            if (order is null)
                return false;
            affected = kind switch
            {
                "introduced" when order >= 0 => true,
                "fixed" when order >= 0 => false,
                "last_affected" when order > 0 => false,
                _ => affected,
            };
        }
        return affected;
    }

    public static Result<OsvRecord> Read(JsonElement osv, string file)
    {
        if (SbomComponents.Text(osv, "id") is not { } id)
            return Fail(file, "$.id", "is missing or not a string");
        var aliases = osv.TryGetProperty("aliases", out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
            : [];
        var severity = osv.TryGetProperty("database_specific", out var specific) && specific.ValueKind == JsonValueKind.Object && SbomComponents.Text(specific, "severity") is { } rating
            ? CycloneDxVulnerabilities.SeverityOf(rating)
            : Severity.High;
        if (!osv.TryGetProperty("affected", out var affected) || affected.ValueKind != JsonValueKind.Array)
            return Fail(file, "$.affected", "is missing or not an array");
        var packages = new List<Package>();
        var i = 0;
        foreach (var entry in affected.EnumerateArray())
        {
            var path = $"$.affected[{i++}]";
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("package", out var package) || package.ValueKind != JsonValueKind.Object)
                return Fail(file, $"{path}.package", "is missing or not an object");
            var name = SbomComponents.Text(package, "name");
            var purl = SbomComponents.Text(package, "purl");
            if (name is null && purl is null)
                return Fail(file, $"{path}.package", "names neither a name nor a purl");
            var keys = new HashSet<string>(StringComparer.Ordinal);
            if (purl is not null)
                keys.Add(SbomComponents.KeyOf(purl, null, ""));
            if (name is not null)
            {
                var packageName = name.Replace(':', '/'); // Maven's group:artifact is a purl's namespace/name
                keys.Add(SbomComponents.KeyOf(null, null, packageName));
                if (SbomComponents.Text(package, "ecosystem") is { } ecosystem && PurlTypes.TryGetValue(ecosystem, out var type))
                    keys.Add(SbomComponents.KeyOf($"pkg:{type}/{(packageName.StartsWith('@') ? "%40" + packageName[1..] : packageName)}", null, ""));
            }
            var versions = entry.TryGetProperty("versions", out var listed) && listed.ValueKind == JsonValueKind.Array
                ? listed.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToHashSet(StringComparer.Ordinal)
                : [];
            var ranges = new List<IReadOnlyList<(string, string)>>();
            if (entry.TryGetProperty("ranges", out var rangeList) && rangeList.ValueKind == JsonValueKind.Array)
            {
                var r = 0;
                foreach (var range in rangeList.EnumerateArray())
                {
                    var rangePath = $"{path}.ranges[{r++}]";
                    if (range.ValueKind != JsonValueKind.Object || SbomComponents.Text(range, "type") is not { } type)
                        return Fail(file, $"{rangePath}.type", "is missing");
                    if (type == "GIT")
                        continue;
                    if (!range.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
                        return Fail(file, $"{rangePath}.events", "is missing or not an array");
                    var parsed = new List<(string, string)>();
                    foreach (var e in events.EnumerateArray())
                    {
                        var member = e.ValueKind == JsonValueKind.Object ? e.EnumerateObject().FirstOrDefault() : default;
                        if (member.Value.ValueKind != JsonValueKind.String || member.Name is not ("introduced" or "fixed" or "last_affected" or "limit"))
                            return Fail(file, $"{rangePath}.events[{parsed.Count}]", "is not one of introduced, fixed, last_affected, limit with a version");
                        if (member.Name != "limit")
                            parsed.Add((member.Name, member.Value.GetString()!));
                    }
                    ranges.Add(parsed);
                }
            }
            packages.Add(new Package(keys, versions, ranges));
        }
        return Result<OsvRecord>.Ok(new OsvRecord(id, aliases, severity, packages));
    }

    private static Result<OsvRecord> Fail(string file, string path, string message) =>
        Result<OsvRecord>.Fail(ErrorCodes.FeedInvalid, $"{file}: {path}: {message}");
}
