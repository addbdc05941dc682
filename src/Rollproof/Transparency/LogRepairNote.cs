using System.Globalization;
using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Transparency;

/// <summary>
/// A deliberate rewind, signed by the log key: the checkpoint the writer had published (<see cref="Rewound"/>), the
/// older one it accepts instead (<see cref="Accepted"/>), when and why. It is kept in the writer's record and logged
/// as an entry, so that every verifier afterwards can see that, and why, the log went back. Its first line can never
/// be read as a checkpoint (whose second line is a tree size).
/// </summary>
public sealed record LogRepairNote(Checkpoint Rewound, Checkpoint Accepted, DateTimeOffset Time, string Reason)
{
    public const string Header = "rollproof.dev/log-repair/v1";

    /// <summary>The longest reason kept: a sentence or two and a ticket, well inside a log entry.</summary>
    public const int MaxReasonLength = 1000;

    /// <summary>Null when <paramref name="reason"/> can be recorded: one line of text, not blank, not too long.</summary>
    public static string? CheckReason(string reason) =>
        string.IsNullOrWhiteSpace(reason) ? "the reason must say why the log is rewound (e.g. the disk lost and the backup restored)"
        : reason.Length > MaxReasonLength ? $"the reason is {reason.Length} characters, more than {MaxReasonLength}"
        : reason.Any(char.IsControl) ? "the reason must be one line of text, without control characters"
        : null;

    public byte[] Sign(INoteSigner logSigner) => SignedNote.Sign(ToText(), logSigner).ToBytes();

    private string ToText() => string.Create(CultureInfo.InvariantCulture,
        $"{Header}\n{Accepted.Origin}\nrewound {Rewound.Size} {Convert.ToBase64String(Rewound.RootHash)}\naccepted {Accepted.Size} {Convert.ToBase64String(Accepted.RootHash)}\ntime {Time.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\nreason {Reason}\n");

    /// <summary>Opens a repair note signed by <paramref name="logKey"/>, whose name is the log's origin.</summary>
    public static Result<LogRepairNote> Open(ReadOnlySpan<byte> signedNote, INoteVerifier logKey)
    {
        var note = SignedNote.Parse(signedNote);
        if (!note.IsOk)
            return note.Problem;
        var opened = note.Value.Open([logKey]);
        if (!opened.IsOk)
            return opened.Problem;
        var lines = note.Value.Text.TrimEnd('\n').Split('\n');
        if (lines is not [Header, var origin, var rewound, var accepted, var time, var reason] || origin != logKey.Name)
            return Malformed($"is not a {Header} note of {logKey.Name}");
        var from = ParseTree(origin, rewound, "rewound");
        var to = ParseTree(origin, accepted, "accepted");
        if (from is null || to is null || !time.StartsWith("time ", StringComparison.Ordinal) || !reason.StartsWith("reason ", StringComparison.Ordinal)
            || !DateTimeOffset.TryParseExact(time[5..], "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return Malformed("has a line out of its format (rewound, accepted: size and root; time; reason)");
        return Result<LogRepairNote>.Ok(new LogRepairNote(from, to, at, reason[7..]));
    }

    private static Checkpoint? ParseTree(string origin, string line, string word)
    {
        var parts = line.Split(' ');
        return parts.Length == 3 && parts[0] == word && StrictDecimal.TryParse(parts[1], out var size)
            && StrictBase64.TryDecode(parts[2], out var root) && root.Length == MerkleHasher.HashSize
            ? new Checkpoint(origin, size, root)
            : null;
    }

    private static Result<LogRepairNote> Malformed(string what) => Result<LogRepairNote>.Fail(ErrorCodes.CheckpointRecordUnusable, $"the repair note {what}");
}
