using System.Runtime.CompilerServices;

namespace Rollproof.Ledger;

/// <summary>
/// Orders a server's appends around the ones that change how others are judged (key changes, policies, releases,
/// executions): such a change is checked and appended alone (<see cref="ChangeAsync"/>), while any number of other
/// statements are appended at once (<see cref="AppendAsync"/>), never while a change is under way. <see cref="Changes"/> counts the
/// changes appended, so a statement checked before one can tell, once admitted, that it must be checked again.
/// Writer-preferring: a change waiting stops new appends from entering, so a steady stream of them cannot starve it;
/// the appends held back enter together when it leaves, so a stream of changes cannot starve them either.
/// </summary>
/// <remarks>
/// One lock guards the counts and queues and nothing waits while holding it: leaving never blocks a thread. (A leave
/// that waited synchronously for a semaphore held by an entering append starved the thread pool under load: a whole
/// batch of answers leaves at once when its checkpoint lands.)
/// </remarks>
internal sealed class TrustChangeGate : IDisposable
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _waitingChanges = new();
    private readonly LinkedList<Waiter> _waitingAppends = new();
    private int _appending;
    private bool _changing;
    private bool _disposed;
    private long _changes;

    /// <summary>How many changes have been appended through the gate.</summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>Enters as a change: alone, once appends in progress are done. Dispose to leave.</summary>
    public Task<IDisposable> ChangeAsync(CancellationToken cancellation) => Enter(change: true, cancellation);

    /// <summary>Counts a change appended; called while the change holds the gate.</summary>
    public void Changed() => Interlocked.Increment(ref _changes);

    /// <summary>Enters as an ordinary append, with any others; no change runs until it leaves.</summary>
    public Task<IDisposable> AppendAsync(CancellationToken cancellation) => Enter(change: false, cancellation);

    /// <summary>Refuses every waiter still queued; those inside leave as usual.</summary>
    public void Dispose()
    {
        List<Waiter> refused;
        lock (_lock)
        {
            _disposed = true;
            refused = [.. _waitingChanges, .. _waitingAppends];
            _waitingChanges.Clear();
            _waitingAppends.Clear();
        }
        foreach (var waiter in refused)
            waiter.Refuse(new ObjectDisposedException(nameof(TrustChangeGate)));
    }

    private Task<IDisposable> Enter(bool change, CancellationToken cancellation)
    {
        if (cancellation.IsCancellationRequested)
            return Task.FromCanceled<IDisposable>(cancellation);
        Waiter waiter;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (change && !_changing && _appending == 0 && _waitingChanges.Count == 0)
            {
                _changing = true;
                return Task.FromResult<IDisposable>(new Leave(LeaveChange));
            }
            if (!change && !_changing && _waitingChanges.Count == 0)
            {
                _appending++;
                return Task.FromResult<IDisposable>(new Leave(LeaveAppend));
            }
            var queue = change ? _waitingChanges : _waitingAppends;
            waiter = new Waiter(queue, change ? LeaveChange : LeaveAppend);
            waiter.Node = queue.AddLast(waiter);
        }
        if (cancellation.CanBeCanceled)
            waiter.Watch(cancellation.Register(() => GiveUp(waiter, cancellation)));
        return waiter.Entered.Task;
    }

    // A waiter cancelled before it was let in: out of its queue, and appends it held back may now enter.
    private void GiveUp(Waiter waiter, CancellationToken cancellation)
    {
        List<Waiter> admitted;
        lock (_lock)
        {
            if (waiter.Node?.List is null)
                return; // already let in (or refused): it leaves as usual
            waiter.Queue.Remove(waiter.Node);
            admitted = _waitingChanges.Count == 0 ? AdmitAppends() : [];
        }
        waiter.Entered.TrySetCanceled(cancellation);
        LetIn(admitted);
    }

    private void LeaveChange() => Admit(() =>
    {
        _changing = false;
        return _waitingAppends.Count > 0 ? AdmitAppends() : AdmitChange();
    });

    private void LeaveAppend() => Admit(() => --_appending == 0 ? AdmitChange() : []);

    private void Admit(Func<List<Waiter>> decide)
    {
        List<Waiter> admitted;
        lock (_lock)
            admitted = decide();
        LetIn(admitted);
    }

    // Called under the lock: the next change, if nothing is inside.
    private List<Waiter> AdmitChange()
    {
        if (_changing || _appending > 0 || _waitingChanges.First is not { } first)
            return [];
        _waitingChanges.RemoveFirst();
        _changing = true;
        return [first.Value];
    }

    // Called under the lock: every append waiting, unless a change is inside.
    private List<Waiter> AdmitAppends()
    {
        if (_changing)
            return [];
        List<Waiter> admitted = [.. _waitingAppends];
        _waitingAppends.Clear();
        _appending += admitted.Count;
        return admitted;
    }

    // Outside the lock: a registration's disposal waits for its callback, which takes the lock.
    private static void LetIn(List<Waiter> admitted)
    {
        foreach (var waiter in admitted)
            waiter.LetIn();
    }

    private sealed class Waiter(LinkedList<Waiter> queue, Action leave)
    {
        public LinkedList<Waiter> Queue { get; } = queue;

        public LinkedListNode<Waiter>? Node { get; set; }

        // Boxed, so that the thread letting the waiter in reads the whole registration or none of it.
        private StrongBox<CancellationTokenRegistration>? _registration;

        // Continuations run on the thread pool, never inline in the leave that let them in.
        public TaskCompletionSource<IDisposable> Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Keeps the cancellation registration, disposing it at once if the waiter was let in (or refused) meanwhile.</summary>
        public void Watch(CancellationTokenRegistration registration)
        {
            Volatile.Write(ref _registration, new StrongBox<CancellationTokenRegistration>(registration));
            if (Entered.Task.IsCompleted)
                registration.Dispose();
        }

        public void LetIn()
        {
            Entered.TrySetResult(new Leave(leave));
            Volatile.Read(ref _registration)?.Value.Dispose();
        }

        public void Refuse(Exception why)
        {
            Entered.TrySetException(why);
            Volatile.Read(ref _registration)?.Value.Dispose();
        }
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
