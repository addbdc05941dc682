using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Rollproof.Server.Endpoints;

namespace Rollproof.Server.Tests;

/// <summary>The OpenAPI document the server serves: valid OpenAPI 3, and listing every endpoint the server maps, by path and method.</summary>
public sealed partial class OpenApiDocumentTests
{
    [Fact]
    public async Task The_document_is_openapi_3_and_lists_every_mapped_endpoint()
    {
        using var store = new ServedStore();
        var started = await RollproofServer.StartAsync(new ServerOptions(store.Root, ListenAddress.Parse("127.0.0.1:0").Value), TimeProvider.System);
        await using var server = started.Value;
        using var http = new HttpClient { BaseAddress = server.Address };
        using var response = await http.GetAsync(OpenApiEndpoints.Path);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();

        var read = OpenApiDocument.Parse(text, OpenApiConstants.Json);
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        Assert.StartsWith("3.", read.Diagnostic?.SpecificationVersion switch { OpenApiSpecVersion.OpenApi3_0 => "3.0", OpenApiSpecVersion.OpenApi3_1 => "3.1", var other => other?.ToString() });
        var paths = read.Document!.Paths;

        var mapped = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText != OpenApiEndpoints.Path)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Path: Documented(e.RoutePattern.RawText!), Method: m)))
            .ToList();
        Assert.Contains(mapped, e => e.Path.StartsWith(LedgerEndpoints.Prefix, StringComparison.Ordinal));
        foreach (var (path, method) in mapped)
        {
            Assert.True(paths.TryGetValue(path, out var item), $"{method} {path} is mapped but not in the OpenAPI document");
            Assert.True(item!.Operations?.Keys.Any(k => k.Method.Equals(method, StringComparison.OrdinalIgnoreCase)) == true, $"{method} {path} is mapped but the document lists only {string.Join(", ", item.Operations?.Keys.Select(k => k.Method) ?? [])}");
        }
    }

    // A route pattern as OpenAPI writes the path: a leading slash, parameters without constraints or catch-all stars.
    private static string Documented(string pattern) => RouteParameter().Replace(pattern.StartsWith('/') ? pattern : "/" + pattern, "{$1}");

    [GeneratedRegex(@"\{\**([A-Za-z0-9_]+)(:[^}]*)?\}")]
    private static partial Regex RouteParameter();
}
