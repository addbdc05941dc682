using System.Globalization;
using System.Text;
using Rollproof.Common;

namespace Rollproof.Transparency.Witnessing;

/// <summary>The answers C2SP tlog-witness gives to <c>add-checkpoint</c>; each value is its HTTP status code.</summary>
public enum WitnessStatus
{
    Cosigned = 200,
    Malformed = 400,
    Forbidden = 403,
    UnknownLog = 404,
    Conflict = 409,
    Unprocessable = 422,

    /// <summary>The witness's own state cannot be used: it cosigns nothing until an operator looks.</summary>
    Unavailable = 503,
}

/// <summary>
/// What a witness answers: its status, the body the specification requires (the cosignature lines for 200, the
/// latest cosigned size for 409) with its content type, and for every refusal the problem saying why.
/// </summary>
public sealed record WitnessOutcome(WitnessStatus Status, byte[] Body, string ContentType, Problem? Problem)
{
    public const string SizeContentType = "text/x.tlog.size";
    public const string TextContentType = "text/plain; charset=utf-8";

    public static WitnessOutcome Cosigned(string signatureLines) => new(WitnessStatus.Cosigned, Encoding.UTF8.GetBytes(signatureLines), TextContentType, null);

    public static WitnessOutcome Conflict(long latestSize, long oldSize) =>
        new(WitnessStatus.Conflict, Encoding.ASCII.GetBytes(latestSize.ToString(CultureInfo.InvariantCulture) + "\n"), SizeContentType,
            new Problem(ErrorCodes.WitnessSizeConflict, $"old size {oldSize} is not {latestSize}, the size of the latest checkpoint this witness cosigned for the log"));

    public static WitnessOutcome Refused(WitnessStatus status, Problem problem) => new(status, Encoding.UTF8.GetBytes(problem + "\n"), TextContentType, problem);
}
