using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Server;

namespace Rollproof.Cli.Commands;

/// <summary><c>rollproof serve</c>: the store's log behind HTTP, this process its only writer, until SIGINT or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli, "The store to serve; the server becomes its log's only writer");
        var listen = new Option<string>("--listen") { Description = "HOST:PORT to listen on, e.g. 127.0.0.1:8080 (an IP address or localhost; port 0 picks a free port)", Required = true };
        var logKey = new Option<string?>("--log-key") { Description = "The log's key: a key file (default: the one the store's log was created with)" };
        var tokenFile = new Option<string?>("--token-file") { Description = "API tokens (hashes, each bound to a trust name; 'rollproof server token add' mints them). Without it, only public endpoints answer" };
        var rateLimit = CommonOptions.NonNegative("--rate-limit", $"Requests a minute each actor's tokens may make, then 429 (default {ServerOptions.DefaultTokenRateLimit}; 0: no limit)", required: false);
        rateLimit.DefaultValueFactory = _ => ServerOptions.DefaultTokenRateLimit;
        var anonymousRateLimit = CommonOptions.NonNegative("--anonymous-rate-limit", $"Requests a minute each client address may make without a valid token, then 429 (default {ServerOptions.DefaultAnonymousRateLimit}; 0: no limit)", required: false);
        anonymousRateLimit.DefaultValueFactory = _ => ServerOptions.DefaultAnonymousRateLimit;
        var command = new InterruptibleCommand("serve", "Serve a store to the team: the log's tiles and checkpoint (C2SP tlog-tiles), /healthz and /readyz. The server alone appends to the store's log while it runs; endpoints beyond the public ones need an API token (--token-file). Prints 'listening on http://HOST:PORT' once it serves; stops cleanly on Ctrl-C or SIGTERM.")
        {
            store, listen, logKey, tokenFile, rateLimit, anonymousRateLimit,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var address = ListenAddress.Parse(parse.GetValue(listen)!);
            if (!address.IsOk)
                return cli.Usage(address.Problem.Message, json: false);
            var options = new ServerOptions(parse.GetValue(store)!, address.Value)
            {
                LogKey = parse.GetValue(logKey),
                TokenFile = parse.GetValue(tokenFile),
                TokenRateLimit = (int)Math.Min(int.MaxValue, parse.GetValue(rateLimit)),
                AnonymousRateLimit = (int)Math.Min(int.MaxValue, parse.GetValue(anonymousRateLimit)),
            };
            using var interrupt = new OperatorInterrupt(cancellation);
            var started = await RollproofServer.StartAsync(options, TimeProvider.System, interrupt.Token);
            if (!started.IsOk)
                return cli.Fail(started.Problem);
            await using var server = started.Value;
            cli.Out.WriteLine($"listening on {server.Address.GetLeftPart(UriPartial.Authority)}");
            cli.Out.Flush();
            try
            {
                await server.WaitForShutdownAsync(interrupt.Token);
            }
            catch (OperationCanceledException)
            {
                // SIGINT or SIGTERM: the normal way to stop a server.
            }
            cli.Error.WriteLine("stopped: the log's writer is closed and its last checkpoint is on disk");
            return ExitCodes.Ok;
        });
        return command;
    }
}
