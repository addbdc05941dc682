using System.Text;

namespace Rollproof.Fuzz.Mutations;

/// <summary>Values that break parsers more often than random ones: limits of integer types, odd numbers, hostile Unicode.</summary>
internal static class Interesting
{
    public static readonly string[] Numbers =
    [
        "0", "-0", "00", "01", "-1", "1.5", "1e400", "-1e400", "1E2", "0x10", "NaN", "Infinity", "+1",
        "127", "128", "255", "256", "32767", "32768", "65535", "65536", "2147483647", "2147483648", "-2147483649",
        "4294967295", "4294967296", "9007199254740993", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
        "281474976710656", "99999999999999999999999999999999999999",
    ];

    /// <summary>Byte sequences: BOM, NUL, overlong and surrogate UTF-8, invalid lead bytes, bidi override, line breaks.</summary>
    public static readonly byte[][] Unicode =
    [
        [0xEF, 0xBB, 0xBF], [0x00], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFF], [0x80],
        [0xE2, 0x80, 0xAE], [0xF0, 0x9F, 0x98, 0x80], [0xCC, 0x81], [0xEF, 0xBF, 0xBD], [0xC2, 0xA0], [0xE2, 0x80, 0xA8],
        [0x0D], [0x0D, 0x0A], [0x09], [0x0B], [0x0C], [0x1B], [0x7F], [0xF4, 0x90, 0x80, 0x80], [0xE0, 0x80],
    ];

    public static readonly string[] Strings =
    [
        "", " ", "\\u0000", "\\ud800", "\\udfff", "\\ud83d\\ude00", "\u202e", "\ufeff", "é", "\u0301", "null", "true",
        "sha256:", "sha256:" + new string('0', 64), "-----BEGIN PUBLIC KEY-----", "../../etc/passwd", "%00", "${x}",
        "2026-02-30T25:61:61Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "1970-01-01T00:00:00+14:00",
    ];

    public static readonly byte[] Bytes = [0x00, 0x01, 0x7F, 0x80, 0xFF, (byte)'\n', (byte)'\r', (byte)' ', (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)':', (byte)',', (byte)'-', (byte)'+', (byte)'=', (byte)'\t'];

    public static byte[] NumberBytes(Random random) => Encoding.ASCII.GetBytes(Numbers[random.Next(Numbers.Length)]);

    public static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
