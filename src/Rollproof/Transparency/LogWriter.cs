using System.Threading.Channels;
using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Transparency;

/// <summary>
/// Appends entries to a tiled log. A single sequencer takes queued entries in batches, writes the tiles and entry
/// bundles they complete, makes them durable, and only then atomically publishes a signed checkpoint covering them;
/// each append completes with its index after that checkpoint is on disk. A crash at any point leaves the last
/// checkpoint and everything it covers intact; whatever lies beyond it is rewritten by the next batch. Appends that ask
/// for a signed entry timestamp get theirs signed by the sequencer too, one time for the whole batch, and kept in the
/// <see cref="ISignedEntryTimestampStore"/> before the checkpoint: an answer is never given for a timestamp that is not
/// durable.
/// </summary>
public sealed class LogWriter : IAsyncDisposable
{
    private readonly ILogStorage _storage;
    private readonly INoteSigner _signer;
    private readonly IDedupIndex? _dedup;
    private readonly ISignedEntryTimestampStore? _timestamps;
    private readonly byte[] _logId;
    private readonly IReadOnlyList<ICheckpointRecord> _records;
    private readonly LogWriterOptions _options;
    private readonly TimeProvider _clock;
    private readonly RightEdge _edge;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _sequencer;
    private Exception? _fault;
    private UnpublishedCheckpoint? _unpublished;

    private LogWriter(ILogStorage storage, INoteSigner signer, IDedupIndex? dedup, ISignedEntryTimestampStore? timestamps, IReadOnlyList<ICheckpointRecord> records, LogWriterOptions options, TimeProvider clock, RightEdge edge, byte[] checkpoint, long size, UnpublishedCheckpoint? unpublished)
    {
        Size = size;
        _unpublished = unpublished;
        _storage = storage;
        _signer = signer;
        _dedup = dedup;
        _timestamps = timestamps;
        _logId = NoteKeyId.CheckpointKeyId(NoteKeys.ParseVerifierKey(signer.VerifierKey).Value);
        _records = records;
        _options = options;
        _clock = clock;
        _edge = edge;
        LatestCheckpoint = checkpoint;
        _sequencer = Task.Run(RunSequencerAsync);
    }

    public string Origin => _signer.Name;

    /// <summary>The size of the tree under the latest published checkpoint.</summary>
    public long Size { get; private set; }

    /// <summary>The latest published signed checkpoint, byte for byte as stored.</summary>
    public byte[] LatestCheckpoint { get; private set; }

    /// <summary>
    /// Raised on the sequencer after each checkpoint is durably published and its appends completed, with its bytes.
    /// Handlers must be quick, since the sequencer waits for them; an exception from one is traced and ignored.
    /// </summary>
    public event Action<byte[]>? CheckpointPublished;

    /// <summary>Publishes the empty tree's checkpoint in empty storage, recording it in <paramref name="records"/> first.</summary>
    public static Result<byte[]> Create(ILogStorage storage, INoteSigner signer, IReadOnlyList<ICheckpointRecord>? records = null)
    {
        if (storage.Read(TilePath.Checkpoint) is not null)
            return Result<byte[]>.Fail(ErrorCodes.LogAlreadyInitialised, "storage already holds a checkpoint");
        var tree = new Checkpoint(signer.Name, 0, MerkleHasher.EmptyRoot());
        var checkpoint = SignedNote.Sign(tree.ToText(), signer).ToBytes();
        PublishRecorded(storage, records ?? [], checkpoint, tree);
        return Result<byte[]>.Ok(checkpoint);
    }

    /// <summary>
    /// Opens a log for appending: verifies its checkpoint with the signer's key, that it extends the latest checkpoint
    /// each of <paramref name="records"/> says was published (the log was not rewound), and its tiles against it.
    /// Timestamps kept in <paramref name="timestamps"/> beyond the tree it resumes at are forgotten: no answer was given for them.
    /// </summary>
    public static Result<LogWriter> Open(ILogStorage storage, INoteSigner signer, IDedupIndex? dedup = null, LogWriterOptions? options = null, TimeProvider? clock = null, IReadOnlyList<ICheckpointRecord>? records = null, ISignedEntryTimestampStore? timestamps = null)
    {
        records ??= [];
        options ??= new LogWriterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchAge, TimeSpan.Zero, nameof(options));
        var stored = storage.Read(TilePath.Checkpoint);
        if (stored is null)
            return Result<LogWriter>.Fail(ErrorCodes.LogNotInitialised, "storage holds no checkpoint: initialise the log first");
        var verifier = NoteKeys.ParseVerifierKey(signer.VerifierKey).Value;
        var opened = Checkpoint.Open(stored, verifier);
        if (!opened.IsOk)
            return new Problem(opened.Problem.Code, $"the stored checkpoint does not verify with this log's key: {opened.Problem.Message}");
        var checkpoint = opened.Value.Checkpoint;
        var recorded = new List<RecordedCheckpoints>(records.Count);
        foreach (var record in records)
        {
            var read = record.Read();
            if (!read.IsOk)
                return read.Problem;
            if (read.Value.Check(checkpoint, storage, "the log") is { } rewound)
                return rewound;
            recorded.Add(read.Value);
        }
        var edge = RightEdge.Load(storage, checkpoint.Size);
        if (!edge.IsOk)
            return edge.Problem;
        if (!edge.Value.Root().AsSpan().SequenceEqual(checkpoint.RootHash))
            return Result<LogWriter>.Fail(ErrorCodes.RootMismatch, $"the partial tiles do not hash to the checkpoint's root at size {checkpoint.Size}");
        var unpublished = UnpublishedCheckpoint.Read(storage, verifier, checkpoint);
        if (!unpublished.IsOk)
            return unpublished.Problem;
        var resumed = unpublished.Value?.Edge ?? edge.Value;
        if (dedup is not null)
        {
            var caughtUp = CatchUpDedup(storage, dedup, resumed.Size);
            if (caughtUp is not null)
                return caughtUp;
        }
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Adopt(recorded[i], stored, checkpoint) is { } unwritable)
                return unwritable;
        }
        timestamps?.DiscardFrom(resumed.Size);
        return Result<LogWriter>.Ok(new LogWriter(storage, signer, dedup, timestamps, records, options, clock ?? TimeProvider.System, resumed, stored, checkpoint.Size, unpublished.Value?.Checkpoint));
    }

    /// <summary>Queues an entry; completes with its index once a durable checkpoint covers it (a duplicate gets its first index).</summary>
    public async Task<long> AppendAsync(ReadOnlyMemory<byte> entry) => (await Enqueue(entry, stamped: false).ConfigureAwait(false)).Index;

    /// <summary>
    /// Appends an entry with the log's signed promise that it is in the log at its index as of its batch's time: the
    /// time of an entry that a verifier can hold the log to. The timestamp is kept (with a store of them) before the
    /// checkpoint covering the entry is published; a duplicate gets the one kept for its first index.
    /// </summary>
    public async Task<(long Index, SignedEntryTimestamp Timestamp)> AppendWithTimestampAsync(byte[] entry)
    {
        var (index, timestamp) = await Enqueue(entry, stamped: true).ConfigureAwait(false);
        return (index, timestamp!);
    }

    private Task<Appended> Enqueue(ReadOnlyMemory<byte> entry, bool stamped)
    {
        if (entry.Length > EntryBundle.MaxEntrySize)
            return Task.FromException<Appended>(new ProblemException(new Problem(ErrorCodes.EntryTooLarge, $"entry of {entry.Length} bytes exceeds the {EntryBundle.MaxEntrySize}-byte limit of entry bundles")));
        if (_fault is not null)
            return Task.FromException<Appended>(new InvalidOperationException("the log writer failed earlier and must be reopened", _fault));
        // Hashing here spreads it over the callers' threads instead of the single sequencer.
        var pending = new Pending(entry, MerkleHasher.LeafHash(entry.Span), stamped, new TaskCompletionSource<Appended>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
            return Task.FromException<Appended>(new ObjectDisposedException(nameof(LogWriter)));
        return pending.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _sequencer.ConfigureAwait(false);
        _dedup?.Dispose();
    }

    private async Task RunSequencerAsync()
    {
        var batch = new List<Pending>();
        var reader = _queue.Reader;
        while (await WaitForWorkAsync(reader).ConfigureAwait(false))
        {
            var deadline = _clock.GetUtcNow() + _options.MaxBatchAge;
            while (batch.Count < _options.MaxBatchSize)
            {
                if (reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                    continue;
                }
                var wait = deadline - _clock.GetUtcNow();
                if (wait <= TimeSpan.Zero || !await WaitForMoreAsync(reader, wait).ConfigureAwait(false))
                    break;
            }
            await IntegrateAsync(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }

    // A checkpoint withheld for want of cosignatures is asked for again after a while, whether entries arrive or not.
    private async Task<bool> WaitForWorkAsync(ChannelReader<Pending> reader)
    {
        if (_unpublished is null)
            return await reader.WaitToReadAsync().ConfigureAwait(false);
        await WaitForMoreAsync(reader, _options.Cosign is null ? TimeSpan.Zero : _options.CosignRetry).ConfigureAwait(false);
        return !reader.Completion.IsCompleted;
    }

    private async Task<bool> WaitForMoreAsync(ChannelReader<Pending> reader, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait, _clock);
        try
        {
            return await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task IntegrateAsync(List<Pending> batch)
    {
        if (_fault is not null)
        {
            foreach (var pending in batch)
                pending.Done.TrySetException(new InvalidOperationException("the log writer failed earlier and must be reopened", _fault));
            return;
        }
        var indexes = new long[batch.Count];
        Result<SignedEntryTimestamp>?[] stamps;
        Result<byte[]>? published = null;
        try
        {
            var batchStart = _edge.Size;
            var added = new List<byte[]>();
            var inBatch = new Dictionary<LeafHashKey, long>();
            for (var i = 0; i < batch.Count; i++)
            {
                var (entry, leafHash, _, _) = batch[i];
                var key = LeafHashKey.Of(leafHash);
                if (inBatch.TryGetValue(key, out var index))
                {
                    indexes[i] = index;
                    continue;
                }
                var first = _dedup?.Claim(leafHash, _edge.Size);
                if (first is { } logged && IsLoggedAt(logged, leafHash, batchStart, added))
                {
                    indexes[i] = inBatch[key] = logged;
                    continue;
                }
                indexes[i] = inBatch[key] = _edge.Size;
                added.Add(leafHash);
                _edge.Append(entry, leafHash, _storage);
            }
            var (timestamps, fresh) = Stamp(batch, indexes, batchStart);
            stamps = timestamps;
            if (added.Count > 0 || _unpublished is not null)
                published = await PublishAsync(fresh).ConfigureAwait(false);
            else
                _timestamps?.AppendBatch(fresh);
        }
        catch (Exception e)
        {
            // The in-memory right edge may now be ahead of the disk: refuse further work until reopened.
            _fault = e;
            foreach (var pending in batch)
                pending.Done.TrySetException(e);
            return;
        }
        // An entry beyond the published tree gets no index its client could not prove: it waits for a later checkpoint.
        for (var i = 0; i < batch.Count; i++)
        {
            if (stamps[i] is { IsOk: false } damaged)
                batch[i].Done.TrySetException(new ProblemException(damaged.Problem));
            else if (published is { IsOk: false } withheld && indexes[i] >= Size)
                batch[i].Done.TrySetException(new EntryWithheldException(withheld.Problem, indexes[i]));
            else
                batch[i].Done.TrySetResult(new Appended(indexes[i], stamps[i]?.Value));
        }
        if (published is { IsOk: true } done)
            NotifyPublished(done.Value);
    }

    // A subscriber's failure is not the log's: the checkpoint is durable and the appends are already answered.
    private void NotifyPublished(byte[] checkpoint)
    {
        try
        {
            CheckpointPublished?.Invoke(checkpoint);
        }
        catch (Exception e)
        {
            System.Diagnostics.Trace.TraceWarning($"a CheckpointPublished handler failed: {e.Message}");
        }
    }

    // The dedup index answers by hash prefix: confirm the full leaf hash before handing out an index.
    private bool IsLoggedAt(long index, byte[] leafHash, long batchStart, List<byte[]> added)
    {
        if (index >= batchStart)
            return index - batchStart < added.Count && added[(int)(index - batchStart)].AsSpan().SequenceEqual(leafHash);
        var entry = LogEntries.Read(_storage, index, batchStart);
        return entry.IsOk && MerkleHasher.LeafHash(entry.Value).AsSpan().SequenceEqual(leafHash);
    }

    // Each stamped append's timestamp, one time for the batch: new entries get new ones, signed in parallel (the
    // signer is shared by all callers); an entry logged before keeps the one it has. The fresh ones are still to be kept.
    // A duplicate whose kept timestamp is damaged gets that problem as its answer, and the log goes on.
    private (Result<SignedEntryTimestamp>?[] Stamps, List<(long Index, SignedEntryTimestamp Timestamp)> Fresh) Stamp(List<Pending> batch, long[] indexes, long batchStart)
    {
        var stamps = new Result<SignedEntryTimestamp>?[batch.Count];
        var byIndex = new Dictionary<long, Result<SignedEntryTimestamp>>();
        var signing = new HashSet<long>();
        var toSign = new List<(long Index, ReadOnlyMemory<byte> Entry)>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (!batch[i].Stamped || !signing.Add(indexes[i]))
                continue;
            var kept = indexes[i] < batchStart ? _timestamps?.Read(indexes[i]) : null;
            if (kept is { IsOk: false } damaged)
                byIndex[indexes[i]] = damaged.Problem;
            else if (kept?.Value is { } existing)
                byIndex[indexes[i]] = Result<SignedEntryTimestamp>.Ok(existing);
            else
                toSign.Add((indexes[i], batch[i].Entry));
        }
        var now = _clock.GetUtcNow();
        var signed = new SignedEntryTimestamp[toSign.Count];
        Parallel.For(0, toSign.Count, j => signed[j] = SignedEntryTimestamp.Sign(_signer, toSign[j].Entry.Span, toSign[j].Index, now, _logId));
        var fresh = new List<(long, SignedEntryTimestamp)>(toSign.Count);
        for (var j = 0; j < toSign.Count; j++)
        {
            byIndex[toSign[j].Index] = Result<SignedEntryTimestamp>.Ok(signed[j]);
            fresh.Add((toSign[j].Index, signed[j]));
        }
        for (var i = 0; i < batch.Count; i++)
            stamps[i] = batch[i].Stamped ? byIndex[indexes[i]] : (Result<SignedEntryTimestamp>?)null;
        return (stamps, fresh);
    }

    // Order matters for crash safety: the batch's timestamps and its tiles and bundles durable, then the dedup index,
    // then the record, then the checkpoint.
    private async Task<Result<byte[]>> PublishAsync(List<(long Index, SignedEntryTimestamp Timestamp)> timestamps)
    {
        _timestamps?.AppendBatch(timestamps);
        if (_options.Cosign is not { } cosign)
        {
            var signed = Sign();
            PublishRecorded(_storage, _records, signed.Note, signed.Tree);
            return Published(signed.Note);
        }
        // Witnesses see only a checkpoint already durable where a restarted writer resumes from (Unpublished), so the
        // log can never sign another tree of a size they cosigned. Readers see only the cosigned note, written once.
        if (_unpublished is not { } pending || pending.Tree.Size != _edge.Size)
        {
            pending = Sign();
            foreach (var record in _records)
                record.Signing(pending.Note);
            _storage.Write(UnpublishedCheckpoint.Path, pending.Note);
            _storage.Sync();
            _unpublished = pending;
        }
        var cosigned = await cosign(pending.Note).ConfigureAwait(false);
        if (!cosigned.IsOk)
            return cosigned.Problem;
        Publish(_storage, _records, cosigned.Value, pending.Tree);
        _unpublished = null;
        return Published(cosigned.Value);
    }

    private UnpublishedCheckpoint Sign()
    {
        _edge.WritePartials(_storage);
        _storage.Sync();
        _dedup?.Commit(_edge.Size);
        var tree = new Checkpoint(_signer.Name, _edge.Size, _edge.Root());
        return new UnpublishedCheckpoint(tree, SignedNote.Sign(tree.ToText(), _signer).ToBytes());
    }

    private Result<byte[]> Published(byte[] checkpoint)
    {
        LatestCheckpoint = checkpoint;
        Size = _edge.Size;
        return Result<byte[]>.Ok(checkpoint);
    }

    // Recorded durably before it is published: a checkpoint anyone may have seen is always in the record, so restoring
    // an older one is caught.
    private static void PublishRecorded(ILogStorage storage, IReadOnlyList<ICheckpointRecord> records, byte[] checkpoint, Checkpoint tree)
    {
        foreach (var record in records)
            record.Signing(checkpoint);
        Publish(storage, records, checkpoint, tree);
    }

    private static void Publish(ILogStorage storage, IReadOnlyList<ICheckpointRecord> records, byte[] checkpoint, Checkpoint tree)
    {
        storage.ReplaceCheckpoint(checkpoint);
        foreach (var record in records)
            record.Published(tree);
    }

    private static Problem? CatchUpDedup(ILogStorage storage, IDedupIndex dedup, long size)
    {
        if (dedup.IndexedSize > size)
            dedup.Truncate(size);
        for (var start = dedup.IndexedSize; start < size;)
        {
            var tile = start / TilePath.TileWidth;
            var width = TilePath.WidthAt(0, tile, size);
            var entries = TileReader.Bundle(storage, tile, width);
            if (!entries.IsOk)
                return entries.Problem;
            var end = (tile * TilePath.TileWidth) + width;
            for (var index = start; index < end; index++)
                dedup.Claim(MerkleHasher.LeafHash(entries.Value[(int)(index - (tile * TilePath.TileWidth))].Span), index);
            dedup.Commit(end);
            start = end;
        }
        return null;
    }

    private sealed record Pending(ReadOnlyMemory<byte> Entry, byte[] LeafHash, bool Stamped, TaskCompletionSource<Appended> Done);

    private readonly record struct Appended(long Index, SignedEntryTimestamp? Timestamp);
}
