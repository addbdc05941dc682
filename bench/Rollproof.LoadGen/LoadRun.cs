using System.Diagnostics;

namespace Rollproof.LoadGen;

/// <summary>
/// A bounded load: <see cref="Clients"/> clients (connections), each with <see cref="Streams"/> requests in flight
/// (more than one needs HTTP/2), each stream sending its next request as soon as its last one is answered, for
/// <see cref="Duration"/>; every request's latency is kept, so the percentiles are exact.
/// </summary>
public sealed class LoadRun(int clients, TimeSpan duration, int streams = 1)
{
    public int Clients { get; } = clients;

    public int Streams { get; } = streams;

    public TimeSpan Duration { get; } = duration;

    /// <summary>
    /// Sends <paramref name="request"/> (stream number, its request number) on stream <c>s</c> through
    /// <paramref name="clients"/>[s % Clients] until the time is up; a request that throws or answers non-2xx is an error.
    /// </summary>
    public async Task<LoadReport> RunAsync(IReadOnlyList<HttpClient> clients, Func<int, long, HttpRequestMessage> request)
    {
        var workers = Clients * Streams;
        var latencies = new List<long>[workers];
        var errors = new long[workers];
        var firstErrors = new string?[workers];
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(Duration.TotalSeconds * Stopwatch.Frequency);
        var running = Enumerable.Range(0, workers).Select(client => Task.Run(async () =>
        {
            var http = clients[client % clients.Count];
            var own = latencies[client] = [];
            for (long i = 0; Stopwatch.GetTimestamp() < stopAt; i++)
            {
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var message = request(client, i);
                    // SendAsync takes a message's own version, not the client's default: HTTP/2 must be asked for here.
                    message.Version = http.DefaultRequestVersion;
                    message.VersionPolicy = http.DefaultVersionPolicy;
                    using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead);
                    if (!response.IsSuccessStatusCode)
                    {
                        errors[client]++;
                        firstErrors[client] ??= $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                        continue;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    errors[client]++;
                    firstErrors[client] ??= e.Message;
                    continue;
                }
                own.Add(Stopwatch.GetTimestamp() - sent);
            }
        })).ToArray();
        await Task.WhenAll(running);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = latencies.SelectMany(own => own).ToArray();
        Array.Sort(all);
        return new LoadReport(Clients, Streams, elapsed, all, errors.Sum(), firstErrors.FirstOrDefault(e => e is not null));
    }
}
