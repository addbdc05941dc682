using System.Globalization;
using System.Net;
using Rollproof.Common;

namespace Rollproof.Server;

/// <summary>A <c>HOST:PORT</c> to listen on: an IP address (IPv6 in brackets) or <c>localhost</c>; port 0 picks a free one.</summary>
public sealed record ListenAddress(IPAddress Address, int Port)
{
    public static Result<ListenAddress> Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
            return Fail(text, "expected HOST:PORT, e.g. 127.0.0.1:8080");
        var host = text[..colon];
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
            return Fail(text, $"'{text[(colon + 1)..]}' is not a port (0 to {IPEndPoint.MaxPort})");
        if (host == "localhost")
            return Result<ListenAddress>.Ok(new ListenAddress(IPAddress.Loopback, port));
        if (host.StartsWith('[') && host.EndsWith(']'))
            host = host[1..^1];
        return IPAddress.TryParse(host, out var address)
            ? Result<ListenAddress>.Ok(new ListenAddress(address, port))
            : Fail(text, $"'{host}' is not an IP address or 'localhost' (the server binds an address, it does not resolve names)");
    }

    private static Result<ListenAddress> Fail(string text, string why) =>
        Result<ListenAddress>.Fail(ErrorCodes.InputMalformed, $"--listen '{text}': {why}");
}
