using System.Globalization;
using System.Text;
using Rollproof.Common;
using Rollproof.Storage;

namespace Rollproof.Traffic;

/// <summary>
/// The split in an nginx upstream: the upstream block is written again (atomically) with weights summing to 100, a
/// server at 0 % marked <c>down</c>, and nginx reloads gracefully (<c>nginx -c CONFIG -s reload</c>: new workers take
/// new connections, old ones finish what they carry). Open-source nginx counts no responses per server, so the
/// canary's error-rate gate rests on its URL check alone here.
/// </summary>
public sealed class NginxSplit(string config, string upstreamFile, string upstream, string from, string to) : ITrafficSplit
{
    public async Task<Problem?> SplitAsync(int percent, CancellationToken cancellation)
    {
        WriteUpstream(percent);
        var reload = await ExternalProgram.RunAsync("nginx", ["-c", config, "-s", "reload"], Timeout.InfiniteTimeSpan, cancellation);
        return reload.ExitCode == 0 ? null : new Problem(ErrorCodes.TrafficFailed, $"nginx did not reload with {upstreamFile}: {reload.Error.Trim()}");
    }

    /// <summary>Writes the upstream block for <paramref name="percent"/> on the target, without reloading (for a first configuration).</summary>
    public void WriteUpstream(int percent)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"upstream {upstream} {{\n");
        foreach (var (server, share) in new[] { (from, 100 - percent), (to, percent) })
            text.Append(share == 0 ? $"    server {server} down;\n" : string.Create(CultureInfo.InvariantCulture, $"    server {server} weight={share};\n"));
        DurableFile.Replace(upstreamFile, Encoding.UTF8.GetBytes(text.Append("}\n").ToString()));
    }

    /// <summary>The target's weight in the upstream file as this class writes it (0 when absent or <c>down</c>).</summary>
    public Task<Result<int>> TargetPercentAsync(CancellationToken cancellation)
    {
        if (!File.Exists(upstreamFile))
            return Task.FromResult(Result<int>.Ok(0));
        var line = File.ReadLines(upstreamFile).Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith($"server {to} weight=", StringComparison.Ordinal));
        var weight = line is null ? 0 : int.TryParse(line[$"server {to} weight=".Length..].TrimEnd(';'), NumberStyles.None, CultureInfo.InvariantCulture, out var w) ? w : 0;
        return Task.FromResult(Result<int>.Ok(weight));
    }

    public Task<Result<(long Responses, long Errors)?>> TargetCountersAsync(CancellationToken cancellation) =>
        Task.FromResult(Result<(long, long)?>.Ok(null));
}
