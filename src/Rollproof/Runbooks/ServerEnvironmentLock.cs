using System.Net.Http.Json;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Storage.Remote;

namespace Rollproof.Runbooks;

/// <summary>
/// An environment's lock held by the server the store is served from, so two operators on two machines are kept
/// apart. The server keeps the owner record; since it cannot see a client's process, "a run is under way" is a lease
/// this client renews while it runs (<see cref="LeaseRenewal"/>): a crashed run's lease expires, and then only the
/// same execution, by the same actor, takes it back, or a logged override releases it.
/// </summary>
public sealed class ServerEnvironmentLock(ServerClient client, string environment) : IEnvironmentLock
{
    private Uri Url(string? action = null) => client.Api("locks/" + Uri.EscapeDataString(environment) + (action is null ? "" : "/" + action));

    public Result<LockHold> Acquire(string execution, TimeProvider clock)
    {
        var taken = Post(Url(), new LockRequest(execution, ProcessIdentity.Current));
        if (!taken.IsOk)
            return taken.Problem;
        var run = new LockRequest(execution, ProcessIdentity.Current);
        // An end that does not reach the server leaves the lease to expire, as after a crash.
        var renewal = new LeaseRenewal(TimeSpan.FromSeconds(taken.Value.LeaseSeconds) / 3, renew: () => _ = Post(Url("renew"), run), end: () => _ = Post(Url("end"), run));
        return Result<LockHold>.Ok(new LockHold(renewal, taken.Value.Fresh));
    }

    public LockOwner? Owner() => Show()?.Owner;

    public string? Holder() => Owner()?.Execution;

    public bool Running() => Show()?.Running == true;

    public bool RunsNow(LockOwner owner) => Show() is { Running: true } shown && shown.Owner.Execution == owner.Execution;

    public void Release(string execution)
    {
        // A release that does not reach the server leaves the lock as a crash would: the run's resume releases it.
        _ = Post(Url("release"), new LockRequest(execution, ProcessIdentity.Current));
    }

    public Problem? ReleaseOverridden(string holder, LoggedStatement logged)
    {
        var released = Post(Url("override"), new LockOverrideRequest(logged.Ref.LogIndex));
        return released.IsOk ? null : released.Problem with { Message = $"the override is logged at index {logged.Ref.LogIndex}, but the server did not release the lock: {released.Problem.Message}" };
    }

    private LockAnswer? Show()
    {
        var shown = Send(new HttpRequestMessage(HttpMethod.Get, Url()));
        return shown.IsOk ? shown.Value : throw new ProblemException(shown.Problem);
    }

    private Result<LockAnswer> Post<T>(Uri url, T body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, options: PredicateJson.Options) };
        var answered = Send(request);
        if (!answered.IsOk)
            return answered.Problem;
        return answered.Value is { } answer ? Result<LockAnswer>.Ok(answer) : Result<LockAnswer>.Fail(ErrorCodes.LogUnreachable, $"POST {url} answered no lock");
    }

    // The lock's callers are not asynchronous (the local lock is files).
    private Result<LockAnswer?> Send(HttpRequestMessage request)
    {
        var sent = client.Send(request);
        if (!sent.IsOk)
            return sent.Problem;
        if (sent.Value is not { } body)
            return Result<LockAnswer?>.Ok(null);
        try
        {
            return JsonSerializer.Deserialize<LockAnswer>(body, PredicateJson.Options) is { } answer
                ? Result<LockAnswer?>.Ok(answer)
                : Result<LockAnswer?>.Fail(ErrorCodes.LogUnreachable, $"{request.Method} {request.RequestUri} answered no lock");
        }
        catch (JsonException e)
        {
            return Result<LockAnswer?>.Fail(ErrorCodes.LogUnreachable, $"{request.Method} {request.RequestUri} answered what is not a lock: {e.Message}");
        }
    }
}

/// <summary>
/// Renews a lock's lease every <c>interval</c> while the run goes on (a renewal that fails is tried again at the next
/// tick), and ends it when disposed: the run is over, however it ended, as a local run's OS lock ends with its process.
/// </summary>
internal sealed class LeaseRenewal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;
    private readonly Action _end;

    public LeaseRenewal(TimeSpan interval, Action renew, Action end)
    {
        _end = end;
        var timer = new PeriodicTimer(interval > TimeSpan.Zero ? interval : TimeSpan.FromSeconds(1));
        _renewing = Task.Run(async () =>
        {
            using (timer)
            {
                try
                {
                    while (await timer.WaitForNextTickAsync(_stop.Token))
                        renew();
                }
                catch (OperationCanceledException)
                {
                    // disposed: the run ended
                }
            }
        });
    }

    public void Dispose()
    {
        _stop.Cancel();
        _renewing.GetAwaiter().GetResult();
        _stop.Dispose();
        _end();
    }
}
