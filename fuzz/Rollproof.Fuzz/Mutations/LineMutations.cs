using System.Text;

namespace Rollproof.Fuzz.Mutations;

/// <summary>
/// Mutations of line-oriented text (notes, checkpoints, receipts, YAML): lines duplicated, dropped, swapped or taken
/// from another seed, numbers swapped for limits, line endings and indentation changed, fields split differently.
/// </summary>
internal static class LineMutations
{
    private static readonly string[] YamlOddities = ["---", "...", "&a x", "*a", "!!binary AAAA", "!!python/object:os.system", "? k", "<<: *a", "%YAML 1.1", "key: |", "- ", "{a: 1}", "[a, b]", "~", "'", "\"\\x00\""];

    public static byte[] Mutate(byte[] input, Random random, IReadOnlyList<byte[]> corpus, bool yaml)
    {
        var lines = Encoding.UTF8.GetString(input).Split('\n').ToList();
        var at = random.Next(lines.Count);
        switch (random.Next(yaml ? 10 : 9))
        {
            case 0: lines.Insert(at, lines[random.Next(lines.Count)]); break;
            case 1: lines.RemoveAt(at); break;
            case 2: (lines[at], lines[^1]) = (lines[^1], lines[at]); break;
            case 3: lines.Insert(at, Interesting.Pick(random, Lines(Interesting.Pick(random, corpus)))); break;
            case 4: lines[at] = ReplaceNumber(lines[at], random); break;
            case 5: lines[at] = lines[at] + Interesting.Pick(random, [" ", "\r", "\t", "\u00a0", " x", "\0"]); break;
            case 6: lines.Insert(at, ""); break;
            case 7: lines[at] = SplitField(lines[at], random); break;
            case 8: return Encoding.UTF8.GetBytes(string.Join(random.Next(2) == 0 ? "\r\n" : "\n\n", lines));
            default: lines[at] = YamlLine(lines[at], random); break;
        }
        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }

    private static string[] Lines(byte[] seed) => Encoding.UTF8.GetString(seed).Split('\n');

    // A run of digits becomes a limit value (sizes, indexes, counts are where overflows live).
    private static string ReplaceNumber(string line, Random random)
    {
        var digits = Enumerable.Range(0, line.Length).Where(i => char.IsAsciiDigit(line[i])).ToList();
        if (digits.Count == 0)
            return line + " " + Interesting.Pick(random, Interesting.Numbers);
        var start = Interesting.Pick(random, digits);
        var end = start;
        while (end < line.Length && char.IsAsciiDigit(line[end]))
            end++;
        return string.Concat(line.AsSpan(0, start), Interesting.Pick(random, Interesting.Numbers), line.AsSpan(end));
    }

    // Fields separated by one space (a note's signature line, a receipt's "index n") get one too many, or none.
    private static string SplitField(string line, Random random)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? line + " " : string.Concat(line.AsSpan(0, space), Interesting.Pick(random, ["", "  ", "\t", " \u2014 "]), line.AsSpan(space + 1));
    }

    private static string YamlLine(string line, Random random) => random.Next(4) switch
    {
        0 => "  " + line,
        1 => line.TrimStart(),
        // Nesting far past any sane document's: a reader that recursed on it would overflow the stack.
        2 => line + " " + new string(Interesting.Pick(random, ['[', '{']), 1 + random.Next(50_000)),
        _ => line + " " + Interesting.Pick(random, YamlOddities),
    };
}
