namespace Rollproof.Rollbacks.Risk;

/// <summary>
/// What the rollback does to the component list: components downgraded or removed (the target lacks them), added
/// back, or changed to a version that cannot be ordered. A side without an SBOM is itself a finding.
/// </summary>
internal static class SbomFindings
{
    public static IEnumerable<RiskFinding> Find(SbomComponents? current, SbomComponents? target, string currentVersion, string targetVersion)
    {
        if (current is null || target is null)
        {
            var missing = string.Join(" and ", new[] { current is null ? $"the current release ({currentVersion})" : null, target is null ? $"the target ({targetVersion})" : null }.OfType<string>());
            yield return RiskFinding.Of(RiskCodes.SbomMissing, Severity.Medium, $"no SBOM for {missing}: component and vulnerability changes cannot be assessed", ("missing", missing));
            yield break;
        }
        foreach (var (key, now) in current.ByKey)
        {
            if (!target.ByKey.TryGetValue(key, out var then))
            {
                yield return RiskFinding.Of(RiskCodes.ComponentRemoved, Severity.Low, $"{now.Name} {now.Version} is not in the target", ("component", key), ("current", now.Version ?? ""));
                continue;
            }
            if (now.Version is null || then.Version is null || now.Version == then.Version)
                continue;
            var order = VersionOrder.Compare(then.Version, now.Version, key);
            if (order < 0)
                yield return RiskFinding.Of(RiskCodes.ComponentDowngraded, Severity.Medium, $"{now.Name} goes back from {now.Version} to {then.Version}", ("component", key), ("current", now.Version), ("target", then.Version));
            else if (order is null)
                yield return RiskFinding.Of(RiskCodes.ComponentChanged, Severity.Low, $"{now.Name} changes from {now.Version} to {then.Version} (versions that cannot be ordered)", ("component", key), ("current", now.Version), ("target", then.Version));
        }
        foreach (var (key, then) in target.ByKey.Where(t => !current.ByKey.ContainsKey(t.Key)))
            yield return RiskFinding.Of(RiskCodes.ComponentAdded, Severity.Info, $"{then.Name} {then.Version} comes back with the target", ("component", key), ("target", then.Version ?? ""));
    }
}
