using System.Diagnostics;

namespace Rollproof.LoadGen;

/// <summary>
/// A bounded load: <see cref="Clients"/> clients, each sending its next request as soon as its last one is answered,
/// for <see cref="Duration"/>; every request's latency is kept, so the percentiles are exact.
/// </summary>
public sealed class LoadRun(int clients, TimeSpan duration)
{
    public int Clients { get; } = clients;

    public TimeSpan Duration { get; } = duration;

    /// <summary>Runs <paramref name="send"/> (client number, its request number) until the time is up; a request that throws or answers non-2xx is an error.</summary>
    public async Task<LoadReport> RunAsync(HttpClient http, Func<int, long, HttpRequestMessage> request)
    {
        var latencies = new List<long>[Clients];
        var errors = new long[Clients];
        var firstErrors = new string?[Clients];
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(Duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            var own = latencies[client] = [];
            for (long i = 0; Stopwatch.GetTimestamp() < stopAt; i++)
            {
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var message = request(client, i);
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
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = latencies.SelectMany(own => own).ToArray();
        Array.Sort(all);
        return new LoadReport(Clients, elapsed, all, errors.Sum(), firstErrors.FirstOrDefault(e => e is not null));
    }
}
