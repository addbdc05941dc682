using Rollproof.Common;

namespace Rollproof.Traffic;

/// <summary>The split in an haproxy backend, by server weights summing to 100, set over the admin socket (no reload); haproxy counts responses per server.</summary>
public sealed class HaproxySplit(HaproxyAdmin admin, string backend, string from, string to) : ITrafficSplit
{
    public async Task<Problem?> SplitAsync(int percent, CancellationToken cancellation) =>
        await admin.SetStateAsync(backend, to, "ready", cancellation)
        ?? await admin.SetWeightAsync(backend, to, percent, cancellation)
        ?? await admin.SetWeightAsync(backend, from, 100 - percent, cancellation);

    public async Task<Result<int>> TargetPercentAsync(CancellationToken cancellation)
    {
        var stats = await admin.StatsAsync(backend, cancellation);
        if (!stats.IsOk)
            return stats.Problem;
        int Weight(string name) => stats.Value.FirstOrDefault(s => s.Server == name) is { } server && !server.Status.StartsWith("MAINT", StringComparison.Ordinal) ? server.Weight : 0;
        var (target, current) = (Weight(to), Weight(from));
        return Result<int>.Ok(target + current == 0 ? 0 : (int)Math.Round(100.0 * target / (target + current)));
    }

    public async Task<Result<(long Responses, long Errors)?>> TargetCountersAsync(CancellationToken cancellation)
    {
        var stats = await admin.StatsAsync(backend, cancellation);
        if (!stats.IsOk)
            return stats.Problem;
        return stats.Value.FirstOrDefault(s => s.Server == to) is { } server
            ? Result<(long, long)?>.Ok((server.Responses, server.ServerErrors))
            : Result<(long, long)?>.Fail(ErrorCodes.TrafficFailed, $"haproxy backend {backend} has no server {to}");
    }
}
