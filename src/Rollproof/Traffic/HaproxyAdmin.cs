using System.Net.Sockets;
using System.Text;
using Rollproof.Common;

namespace Rollproof.Traffic;

/// <summary>Counters of one server as haproxy's <c>show stat</c> reports them; <see cref="Sessions"/> are those open now.</summary>
public sealed record ServerStats(string Backend, string Server, long Responses, long ServerErrors, int Weight, string Status, long Sessions);

/// <summary>
/// haproxy's runtime API over its admin socket (<c>stats socket … level admin</c>): weights and server states change
/// at once, without a reload, so connections in flight are never cut; <c>show stat</c> gives the response counters
/// the canary's error-rate gate reads.
/// </summary>
public sealed class HaproxyAdmin(string socketPath)
{
    private const int MaxAnswer = 4 << 20;
    private static readonly string[] ResponseColumns = ["hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other"];

    public string SocketPath { get; } = socketPath;

    public Task<Problem?> SetWeightAsync(string backend, string server, int weight, CancellationToken cancellation) =>
        CommandAsync($"set weight {backend}/{server} {weight}", cancellation);

    /// <summary><c>ready</c>, <c>drain</c> (no new connections, current ones finish) or <c>maint</c> (out of the backend).</summary>
    public Task<Problem?> SetStateAsync(string backend, string server, string state, CancellationToken cancellation) =>
        CommandAsync($"set server {backend}/{server} state {state}", cancellation);

    public async Task<Result<IReadOnlyList<ServerStats>>> StatsAsync(string backend, CancellationToken cancellation)
    {
        var answer = await SendAsync("show stat", cancellation);
        if (!answer.IsOk)
            return answer.Problem;
        var lines = answer.Value.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || !lines[0].StartsWith("# ", StringComparison.Ordinal))
            return Fail("'show stat' did not answer with its CSV header");
        var header = lines[0][2..].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        var (px, sv, status, weight, x5, scur) = (Column("pxname"), Column("svname"), Column("status"), Column("weight"), Column("hrsp_5xx"), Column("scur"));
        var codes = ResponseColumns.Select(Column).ToArray();
        if (px < 0 || sv < 0 || status < 0 || weight < 0 || x5 < 0 || scur < 0)
            return Fail("'show stat' lacks the columns Rollproof reads");
        var stats = new List<ServerStats>();
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(',');
            if (fields.Length < header.Length || fields[px] != backend || fields[sv] is "BACKEND" or "FRONTEND")
                continue;
            long Number(int column) => long.TryParse(fields[column], out var n) ? n : 0;
            stats.Add(new ServerStats(backend, fields[sv], codes.Where(c => c >= 0).Sum(Number), Number(x5), (int)Number(weight), fields[status], Number(scur)));
        }
        return stats.Count > 0 ? Result<IReadOnlyList<ServerStats>>.Ok(stats) : Fail($"haproxy has no backend '{backend}' with servers");
    }

    private async Task<Problem?> CommandAsync(string command, CancellationToken cancellation)
    {
        var answer = await SendAsync(command, cancellation);
        if (!answer.IsOk)
            return answer.Problem;
        // The runtime API answers nothing (or a blank line) on success, and a sentence on refusal.
        var text = answer.Value.Trim();
        return text.Length == 0 ? null : new Problem(ErrorCodes.TrafficFailed, $"haproxy refused '{command}': {text}");
    }

    private async Task<Result<string>> SendAsync(string command, CancellationToken cancellation)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellation);
            await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), cancellation);
            var answer = new MemoryStream();
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, cancellation)) > 0)
            {
                if (answer.Length + read > MaxAnswer)
                    return Result<string>.Fail(ErrorCodes.TrafficFailed, $"haproxy's answer to '{command}' is larger than {MaxAnswer} bytes");
                answer.Write(buffer, 0, read);
            }
            return Result<string>.Ok(Encoding.ASCII.GetString(answer.ToArray()));
        }
        catch (SocketException e)
        {
            return Result<string>.Fail(ErrorCodes.TrafficFailed, $"haproxy's admin socket {SocketPath} cannot be reached: {e.Message}");
        }
    }

    private static Result<IReadOnlyList<ServerStats>> Fail(string message) => Result<IReadOnlyList<ServerStats>>.Fail(ErrorCodes.TrafficFailed, message);
}
