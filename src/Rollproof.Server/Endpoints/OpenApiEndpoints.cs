using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rollproof.Server.Access;

namespace Rollproof.Server.Endpoints;

/// <summary>
/// The OpenAPI 3 document of every endpoint the server maps, generated from the endpoints themselves at
/// <c>/openapi/v1.json</c>. Public: it describes the API, it holds no data.
/// </summary>
public static class OpenApiEndpoints
{
    public const string Path = "/openapi/v1.json";

    public static IServiceCollection AddRollproofOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Rollproof server";
            document.Info.Description = "A Rollproof store's transparency log and ledger. Ledger answers are read from the log through the one trust path.";
            return Task.CompletedTask;
        }));

    public static IEndpointRouteBuilder MapOpenApiDocument(this IEndpointRouteBuilder app)
    {
        // The one document at its fixed path (the framework's {documentName} route answers other names in plain text).
        app.MapOpenApi(Path).Allow(EndpointAccess.Public);
        return app;
    }
}
