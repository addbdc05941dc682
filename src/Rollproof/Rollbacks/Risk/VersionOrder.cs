using System.Globalization;
using System.Numerics;
using Semver;

namespace Rollproof.Rollbacks.Risk;

/// <summary>
/// Orders component versions: as SemVer 2.0 (the Semver library's precedence: pre-releases before the release, build
/// metadata ignored; a leading 'v' allowed) when both parse, else as dotted numbers when both are (1.10 after 1.9),
/// else not at all: two versions that cannot be ordered are reported as changed, never guessed at. Ecosystems whose
/// order is not SemVer's (Debian, RPM, Alpine, PyPI, Maven, RubyGems, Composer: "1.0-1" is a Debian revision after
/// 1.0, "1.0rc1" a PyPI pre-release) are ordered only when both versions are plain dotted numbers, which every one of
/// them orders the same way; see docs/risk-findings.md.
/// </summary>
public static class VersionOrder
{
    // purl types (https://github.com/package-url/purl-spec) whose version order SemVer would get wrong.
    private static readonly HashSet<string> OwnOrder = new(["deb", "rpm", "apk", "pypi", "maven", "gem", "composer"], StringComparer.Ordinal);

    /// <summary>
    /// Negative, zero or positive as <paramref name="a"/> is before, equal to or after <paramref name="b"/>; null when
    /// they cannot be ordered. <paramref name="key"/> is the component's key (its purl without the version), if any.
    /// </summary>
    public static int? Compare(string a, string b, string? key = null)
    {
        if (a == b)
            return 0;
        if (!OwnOrder.Contains(PurlType(key)) && SemVersion.TryParse(a, SemVersionStyles.AllowLowerV, out var sa) && SemVersion.TryParse(b, SemVersionStyles.AllowLowerV, out var sb))
            return SemVersion.ComparePrecedence(sa, sb);
        if (Dotted(a) is { } da && Dotted(b) is { } db)
            return CompareNumbers(da, db);
        return null;
    }

    private static string PurlType(string? key) =>
        key is not null && key.StartsWith("pkg:", StringComparison.Ordinal) && key.IndexOf('/', StringComparison.Ordinal) is > 4 and var slash ? key[4..slash] : "";

    private static BigInteger[]? Dotted(string version)
    {
        var parts = version.TrimStart('v').Split('.', '-', '_');
        var numbers = new BigInteger[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (parts[i].Length == 0 || !parts[i].All(char.IsAsciiDigit) || !BigInteger.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
                return null;
        return numbers;
    }

    private static int CompareNumbers(BigInteger[] a, BigInteger[] b)
    {
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var x = i < a.Length ? a[i] : BigInteger.Zero;
            var y = i < b.Length ? b[i] : BigInteger.Zero;
            if (x != y)
                return x.CompareTo(y);
        }
        return 0;
    }
}
