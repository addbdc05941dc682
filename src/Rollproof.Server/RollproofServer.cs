using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rollproof.Common;
using Rollproof.Server.Access;
using Rollproof.Server.Endpoints;
using Rollproof.Server.Limits;
using Rollproof.Server.Logging;
using Rollproof.Server.Tls;
using Rollproof.Server.Witnessing;

namespace Rollproof.Server;

/// <summary>Builds and starts the Rollproof server on a store: the log's single writer behind Kestrel.</summary>
public static class RollproofServer
{
    public static Task<Result<RunningServer>> StartAsync(ServerOptions options, TimeProvider clock, CancellationToken cancellation = default) =>
        StartAsync(options, clock, _ => { }, cancellation);

    /// <param name="mapMore">Endpoints a test adds beside the server's own, to exercise the access checks.</param>
    internal static async Task<Result<RunningServer>> StartAsync(ServerOptions options, TimeProvider clock, Action<IEndpointRouteBuilder> mapMore, CancellationToken cancellation = default)
    {
        // The certificate and the request log first: a bad one stops the start before the store's writer is taken.
        X509Certificate2? certificate = null;
        if (options.TlsCertificateFile is { } certificateFile)
        {
            var loaded = ServerCertificate.Load(certificateFile, options.TlsKeyFile, clock);
            if (!loaded.IsOk)
                return loaded.Problem;
            certificate = loaded.Value;
        }
        var requests = RequestLog.Open(options.RequestLogFile);
        if (!requests.IsOk)
            return requests.Problem;
        var tokens = options.TokenFile is { } tokenFile ? TokenRegistry.Open(tokenFile) : Result<TokenRegistry>.Ok(TokenRegistry.None);
        if (!tokens.IsOk)
            return tokens.Problem;
        var log = LogService.Open(options, clock);
        if (!log.IsOk)
        {
            await requests.Value.DisposeAsync();
            return log.Problem;
        }
        var witness = WitnessService.OpenIfAsked(options.Witness);
        if (!witness.IsOk)
        {
            await log.Value.DisposeAsync();
            await requests.Value.DisposeAsync();
            return witness.Problem;
        }
        var app = Build(options, log.Value, requests.Value, certificate, witness.Value, tokens.Value, clock);
        mapMore(app);
        if (EndpointDeclarations.Undeclared(app) is { } undeclared)
        {
            await app.DisposeAsync();
            await log.Value.DisposeAsync();
            return undeclared;
        }
        try
        {
            await app.StartAsync(cancellation);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            await log.Value.DisposeAsync();
            return Result<RunningServer>.Fail(ErrorCodes.ServerListenFailed, $"cannot listen on {options.Listen.Address}:{options.Listen.Port}: {e.Message}");
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return Result<RunningServer>.Ok(new RunningServer(app, log.Value, new Uri(address)));
    }

    private static WebApplication Build(ServerOptions options, LogService log, RequestLog requests, X509Certificate2? certificate, WitnessService? witness, TokenRegistry tokens, TimeProvider clock)
    {
        // No appsettings.json, no ASPNETCORE_* variables: the server is configured by its command line alone.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            RequestLimits.Apply(kestrel.Limits);
            kestrel.Listen(options.Listen.Address, options.Listen.Port, listen =>
            {
                if (certificate is not null)
                    listen.UseHttps(certificate);
            });
        });
        builder.Services.AddSingleton(log);
        builder.Services.AddSingleton(clock);
        // Built by the container so the container disposes it when the server stops, writing out what is queued.
        builder.Services.AddSingleton(_ => requests);
        RequestPipeline.AddServices(builder.Services, options, tokens);
        builder.Services.AddLedgerApi(log);
        builder.Services.AddRollproofOpenApi();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new Locks.EnvironmentLeases(log, options.LockLease, clock));
        builder.Services.AddSingleton(services => new global::Rollproof.Ledger.StatementIntake(log.Store, clock, services.GetRequiredService<Ledger.LedgerReader>().CheckpointMemory));
        if (witness is not null)
            builder.Services.AddSingleton(_ => witness); // a factory registration, so the app disposes it (and its state lock) at shutdown
        var app = builder.Build();
        app.UseRequestLog();
        RequestPipeline.Use(app);
        app.MapHealthEndpoints();
        app.MapTileEndpoints();
        app.MapAccessEndpoints();
        app.MapRekorEndpoints();
        app.MapLedgerEndpoints();
        app.MapWitnessEndpoints();
        app.MapOpenApiDocument();
        app.MapSubmissionEndpoints();
        app.MapBlobEndpoints();
        app.MapLockEndpoints();
        return app;
    }
}
