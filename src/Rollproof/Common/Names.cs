using System.Text.RegularExpressions;

namespace Rollproof.Common;

/// <summary>
/// App names, versions and environment names: they become file and folder names and query keys, so they are kept to
/// letters, digits, '.', '_', '-' and '+', at most 128, not starting with '.'.
/// </summary>
public static partial class Names
{
    public const string Rule = "names are 1 to 128 letters, digits, '.', '_', '-' and '+', not starting with '.'";

    public static bool IsValid(string name) => name.Length is > 0 and <= 128 && Pattern().IsMatch(name) && name[0] != '.';

    [GeneratedRegex("^[A-Za-z0-9._+-]+$")]
    private static partial Regex Pattern();
}
