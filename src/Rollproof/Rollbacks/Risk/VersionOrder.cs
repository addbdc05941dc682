using System.Globalization;
using System.Numerics;

namespace Rollproof.Rollbacks.Risk;

/// <summary>
/// Orders component versions: as SemVer 2.0 when both parse (a leading 'v' allowed; pre-releases before the release,
/// build metadata ignored), else as dotted numbers when both are (1.10 after 1.9), else not at all: two versions that
/// cannot be ordered are reported as changed, never guessed at.
/// </summary>
public static class VersionOrder
{
    /// <summary>Negative, zero or positive as <paramref name="a"/> is before, equal to or after <paramref name="b"/>; null when they cannot be ordered.</summary>
    public static int? Compare(string a, string b)
    {
        if (a == b)
            return 0;
        if (SemVer.TryParse(a, out var sa) && SemVer.TryParse(b, out var sb))
            return sa.CompareTo(sb);
        if (Dotted(a) is { } da && Dotted(b) is { } db)
            return CompareNumbers(da, db);
        return null;
    }

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

    private readonly record struct SemVer(BigInteger Major, BigInteger Minor, BigInteger Patch, string[] PreRelease) : IComparable<SemVer>
    {
        public static bool TryParse(string text, out SemVer version)
        {
            version = default;
            var core = text.StartsWith('v') ? text[1..] : text;
            var plus = core.IndexOf('+');
            if (plus >= 0)
                core = core[..plus];
            var dash = core.IndexOf('-');
            var pre = dash >= 0 ? core[(dash + 1)..].Split('.') : [];
            var numbers = (dash >= 0 ? core[..dash] : core).Split('.');
            if (numbers.Length != 3 || pre.Any(p => p.Length == 0 || !p.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
                return false;
            var parsed = new BigInteger[3];
            for (var i = 0; i < 3; i++)
                if (numbers[i].Length == 0 || !numbers[i].All(char.IsAsciiDigit) || (numbers[i].Length > 1 && numbers[i][0] == '0')
                    || !BigInteger.TryParse(numbers[i], NumberStyles.None, CultureInfo.InvariantCulture, out parsed[i]))
                    return false;
            version = new SemVer(parsed[0], parsed[1], parsed[2], pre);
            return true;
        }

        public int CompareTo(SemVer other)
        {
            var core = Major != other.Major ? Major.CompareTo(other.Major) : Minor != other.Minor ? Minor.CompareTo(other.Minor) : Patch.CompareTo(other.Patch);
            if (core != 0)
                return core;
            if (PreRelease.Length == 0 || other.PreRelease.Length == 0)
                return other.PreRelease.Length.CompareTo(PreRelease.Length); // a release follows its pre-releases
            for (var i = 0; i < Math.Min(PreRelease.Length, other.PreRelease.Length); i++)
            {
                var (x, y) = (PreRelease[i], other.PreRelease[i]);
                var xNumeric = x.All(char.IsAsciiDigit);
                var yNumeric = y.All(char.IsAsciiDigit);
                var order = (xNumeric, yNumeric) switch
                {
                    (true, true) => BigInteger.Parse(x, CultureInfo.InvariantCulture).CompareTo(BigInteger.Parse(y, CultureInfo.InvariantCulture)),
                    (true, false) => -1,
                    (false, true) => 1,
                    _ => string.CompareOrdinal(x, y),
                };
                if (order != 0)
                    return Math.Sign(order);
            }
            return PreRelease.Length.CompareTo(other.PreRelease.Length);
        }
    }
}
