using System.Globalization;

namespace Rollproof.Common;

/// <summary>One process's <c>/proc/PID/stat</c> line, read by field number as proc(5) numbers them.</summary>
internal sealed class ProcStat
{
    private readonly string[] _fields;

    private ProcStat(string[] fields) => _fields = fields;

    /// <summary>The line of <paramref name="pid"/>, or null when it is gone or not ours to see.</summary>
    public static ProcStat? Of(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // The command name (field 2), in parentheses, may hold spaces and parentheses: fields from 3 on follow the last ')'.
            var close = stat.LastIndexOf(')');
            return close < 0 || close + 2 > stat.Length ? null : new ProcStat(stat[(close + 2)..].Split(' '));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Field 3: R, S, D, Z (zombie) and so on.</summary>
    public char State => _fields[0].Length > 0 ? _fields[0][0] : '?';

    /// <summary>Field <paramref name="number"/> (3 or more) as a number, or null when it is missing or not one.</summary>
    public long? Number(int number) =>
        number - 3 < _fields.Length && long.TryParse(_fields[number - 3], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
