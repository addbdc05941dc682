using System.Globalization;
using System.Text.RegularExpressions;

namespace Rollproof.Releases.Sbom;

/// <summary>JSON schema's "date-time" format: an RFC 3339 date-time with a time zone, each field in its range.</summary>
internal static partial class Rfc3339
{
    public static readonly JsonRule DateTime = Shape.StringWhere(IsDateTime, "must be an RFC 3339 date-time such as 2024-05-01T12:00:00Z");

    public static bool IsDateTime(string text)
    {
        var match = Syntax().Match(text);
        if (!match.Success)
            return false;
        int Field(string name) => int.Parse(match.Groups[name].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        var offsetInRange = !match.Groups["offsetHour"].Success || (Field("offsetHour") <= 23 && Field("offsetMinute") <= 59);
        return Field("month") is >= 1 and <= 12
            && Field("day") >= 1 && Field("day") <= DaysIn(Field("year"), Field("month"))
            && Field("hour") <= 23 && Field("minute") <= 59
            && Field("second") <= 60 // 60 is a leap second
            && offsetInRange;
    }

    // Not DateTime.DaysInMonth: RFC 3339 allows year 0000, which .NET's calendar does not.
    private static int DaysIn(int year, int month) => month switch
    {
        2 => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    // [0-9] rather than \d, which would admit other scripts' digits; \z rather than $, which would admit a final newline.
    [GeneratedRegex(@"^(?<year>[0-9]{4})-(?<month>[0-9]{2})-(?<day>[0-9]{2})[Tt](?<hour>[0-9]{2}):(?<minute>[0-9]{2}):(?<second>[0-9]{2})(\.[0-9]+)?([Zz]|[+-](?<offsetHour>[0-9]{2}):(?<offsetMinute>[0-9]{2}))\z")]
    private static partial Regex Syntax();
}
