namespace Rollproof.Ledger;

/// <summary>
/// Orders a server's appends around the ones that change how others are judged (key changes, policies, releases): such
/// a change is checked and appended alone (<see cref="ChangeAsync"/>), while any number of other statements are
/// appended at once (<see cref="AppendAsync"/>), never while a change is under way. <see cref="Changes"/> counts the
/// changes appended, so a statement checked before one can tell, once admitted, that it must be checked again.
/// Writer-preferring: a change waiting stops new appends from entering, so a steady stream of them cannot starve it.
/// </summary>
internal sealed class TrustChangeGate : IDisposable
{
    // Held by a change while it runs, and briefly by each append entering: queues appends behind a waiting change.
    private readonly SemaphoreSlim _turnstile = new(1, 1);
    // Held by a change, or by the appends in progress as a group (taken by the first, given back by the last).
    private readonly SemaphoreSlim _room = new(1, 1);
    private readonly SemaphoreSlim _counting = new(1, 1);
    private int _appending;
    private long _changes;

    /// <summary>How many changes have been appended through the gate.</summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>Enters as a change: alone, once appends in progress are done. Dispose to leave.</summary>
    public async Task<IDisposable> ChangeAsync(CancellationToken cancellation)
    {
        await _turnstile.WaitAsync(cancellation);
        await _room.WaitAsync(CancellationToken.None);
        return new Leave(() =>
        {
            _room.Release();
            _turnstile.Release();
        });
    }

    /// <summary>Counts a change appended; called while the change holds the gate.</summary>
    public void Changed() => Interlocked.Increment(ref _changes);

    /// <summary>Enters as an ordinary append, with any others; no change runs until it leaves.</summary>
    public async Task<IDisposable> AppendAsync(CancellationToken cancellation)
    {
        await _turnstile.WaitAsync(cancellation);
        _turnstile.Release();
        await _counting.WaitAsync(CancellationToken.None);
        try
        {
            if (++_appending == 1)
                await _room.WaitAsync(CancellationToken.None);
        }
        finally
        {
            _counting.Release();
        }
        return new Leave(() =>
        {
            _counting.Wait();
            try
            {
                if (--_appending == 0)
                    _room.Release();
            }
            finally
            {
                _counting.Release();
            }
        });
    }

    public void Dispose()
    {
        _turnstile.Dispose();
        _room.Dispose();
        _counting.Dispose();
    }

    private sealed class Leave(Action leave) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
                leave();
        }
    }
}
