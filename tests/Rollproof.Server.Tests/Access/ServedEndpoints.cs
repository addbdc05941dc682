using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Rollproof.Server.Access;

namespace Rollproof.Server.Tests.Access;

/// <summary>
/// Every (method, path) a running server maps, read from its routing's own endpoint list, so an endpoint added by any
/// feature is in every test that enumerates them without the test being touched. Route parameters get a sample value.
/// </summary>
public static class ServedEndpoints
{
    public sealed record Route(HttpMethod Method, string Path, EndpointAccess Access, string Display)
    {
        public override string ToString() => $"{Method} {Path} ({Access.Name})";
    }

    public static IReadOnlyList<Route> Of(RunningServer server, string sample = "0") =>
    [
        .. from endpoint in server.Endpoints
           let access = endpoint.Metadata.GetMetadata<EndpointAccess>() ?? throw new InvalidOperationException($"{endpoint.DisplayName} declares no access")
           from method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]
           select new Route(new HttpMethod(method), PathOf(endpoint.RoutePattern, sample), access, endpoint.DisplayName ?? ""),
    ];

    /// <summary>The pattern with every parameter replaced by <paramref name="sample"/> (escaped), relative to the server's root.</summary>
    public static string PathOf(RoutePattern pattern, string sample) =>
        string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart => Uri.EscapeDataString(sample),
            _ => throw new InvalidOperationException($"route part {part} of {pattern.RawText}"),
        }))));
}
