using Rollproof.Common;
using Rollproof.Transparency;

namespace Rollproof.Storage;

/// <summary>A deliberate rewind accepted: the repair note, and the log index it was logged at.</summary>
public sealed record RepairedLog(LogRepairNote Note, long Index);

/// <summary>
/// Accepts a log restored from an older copy (a backup after a lost disk), which its writer's records otherwise
/// refuse (<see cref="RecordedCheckpoints"/>). The restored log must verify in full; the repair is signed by the log
/// key, recorded durably in every record, and then logged as the log's next entry, so that every verifier afterwards
/// sees that, when and why the log went back.
/// </summary>
public static class LogRepair
{
    /// <summary>The repair, or null when the log extends every record and there is nothing to accept.</summary>
    public static async Task<Result<RepairedLog?>> RunAsync(LogDirectory log, string reason, TimeProvider clock, string? keyFile = null)
    {
        if (LogRepairNote.CheckReason(reason) is { } unusable)
            return Result<RepairedLog?>.Fail(ErrorCodes.InputMalformed, unusable);
        var signer = log.LoadSigner(keyFile);
        if (!signer.IsOk)
            return signer.Problem;
        var records = CheckpointRecordFile.For(log.Path, log.Verifier);
        var locked = log.Lock();
        if (!locked.IsOk)
            return locked.Problem;
        // The lock is held from the check to the logged repair: no other writer comes in between.
        var handedOver = false;
        try
        {
            var accepted = Accept(log, records, reason, clock);
            if (!accepted.IsOk || accepted.Value is not { } note)
                return accepted.IsOk ? Result<RepairedLog?>.Ok(null) : accepted.Problem;
            var signed = note.Sign(signer.Value);
            log.Timestamps.SetAsideFrom(note.Accepted.Size, Path.Combine(log.Path, ".rollproof", "rewound", $"{note.Time.UtcDateTime:yyyyMMddTHHmmssZ}"));
            foreach (var record in records)
                record.Repaired(signed);
            handedOver = true;
            var opened = log.OpenWriter(locked.Value, keyFile, clock: clock);
            if (!opened.IsOk)
                return opened.Problem;
            await using var writer = opened.Value;
            var (index, timestamp) = await writer.Writer.AppendWithTimestampAsync(signed);
            log.Timestamps.Keep(index, timestamp);
            return Result<RepairedLog?>.Ok(new RepairedLog(note, index));
        }
        finally
        {
            if (!handedOver)
                locked.Value.Dispose();
        }
    }

    // The newest published checkpoint the log does not extend, and the log's own, which must verify in full.
    private static Result<LogRepairNote?> Accept(LogDirectory log, IReadOnlyList<CheckpointRecordFile> records, string reason, TimeProvider clock)
    {
        var read = records.Select(r => r.Read()).ToList();
        if (read.FirstOrDefault(r => !r.IsOk) is { IsOk: false } damaged)
            return damaged.Problem;
        var stored = log.Storage.Read(TilePath.Checkpoint);
        if (stored is null)
            return Result<LogRepairNote?>.Fail(ErrorCodes.LogNotInitialised, $"'{log.Path}' has no checkpoint");
        var opened = Checkpoint.Open(stored, log.Verifier);
        if (!opened.IsOk)
            return opened.Problem;
        var current = opened.Value.Checkpoint;
        var rewound = read.Select(r => r.Value).Where(r => r.Check(current, log.Storage, log.Path) is not null).Select(r => r.Latest!).MaxBy(c => c.Size);
        if (rewound is null)
            return Result<LogRepairNote?>.Ok(null);
        var audit = TileLogAuditor.Verify(log.Storage, current);
        if (!audit.IsOk)
            return audit.Problem with { Message = $"the log as restored does not verify, so it cannot be accepted: {audit.Problem.Message}" };
        var now = clock.GetUtcNow();
        return Result<LogRepairNote?>.Ok(new LogRepairNote(rewound, current, now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond)), reason));
    }
}
