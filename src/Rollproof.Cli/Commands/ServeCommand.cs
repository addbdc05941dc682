using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Server;

namespace Rollproof.Cli.Commands;

/// <summary><c>rollproof serve</c>: the store's log behind HTTP, this process its only writer, until SIGINT or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli, "The store to serve; the server becomes its log's only writer", served: false);
        var listen = new Option<string>("--listen") { Description = "HOST:PORT to listen on, e.g. 127.0.0.1:8080 (an IP address or localhost; port 0 picks a free port)", Required = true };
        var logKey = new Option<string?>("--log-key") { Description = "The log's key: a key file or a pkcs11: URI naming a key in a token (default: the one the store's log was created with)" };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "Serve HTTPS with this certificate: a PEM file (give its key with --tls-key) or a PKCS#12/PFX file holding both (password, if any, in $ROLLPROOF_TLS_PFX_PASSWORD)" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "The PEM private key of --tls-cert" };
        var requestLog = new Option<string?>("--request-log") { Description = "Append the request log (one JSON line per request: time, method, path, status, duration, actor; never headers, bodies or query values) to this file instead of stderr" };
        var witness = new Option<string?>("--witness") { Description = "Also be a C2SP tlog-witness: the cosigning key file (from 'log keygen NAME --cosigner') to cosign the checkpoints of the --witness-log logs with, at POST /add-checkpoint" };
        var witnessLogs = new Option<string[]>("--witness-log") { Description = "With --witness: the verifier key of a log to cosign for (named by its origin); repeat for several logs", AllowMultipleArgumentsPerToken = false };
        var witnessState = new Option<string?>("--witness-state") { Description = "With --witness: where the witness remembers the latest checkpoint it cosigned per log (default: .rollproof/witness in the store)" };
        var witnesses = new Option<string?>("--witnesses") { Description = "A C2SP tlog-policy naming this log's witnesses with their URLs: each checkpoint is published only with a quorum of their cosignatures; until then appends get 503 and the log asks again" };
        var witnessTimeout = DurationOptions.Create("--witness-timeout", "With --witnesses: how long to wait for each witness's answer", Durations.WitnessWait, fallback: "10s");
        var witnessRetry = DurationOptions.Create("--witness-retry", "With --witnesses: how long to wait before asking again for a checkpoint withheld without its quorum (also the Retry-After of the 503s meanwhile)", Durations.WitnessWait, fallback: "5s");
        var tokenFile = new Option<string?>("--token-file") { Description = "API tokens (hashes, each bound to a trust name; 'rollproof server token add' mints them). Without it, only public endpoints answer" };
        var rateLimit = CommonOptions.NonNegative("--rate-limit", $"Requests a minute each actor's tokens may make, then 429 (default {ServerOptions.DefaultTokenRateLimit}; 0: no limit)", required: false);
        rateLimit.DefaultValueFactory = _ => ServerOptions.DefaultTokenRateLimit;
        var anonymousRateLimit = CommonOptions.NonNegative("--anonymous-rate-limit", $"Requests a minute each client address may make without a valid token, then 429 (default {ServerOptions.DefaultAnonymousRateLimit}; 0: no limit)", required: false);
        anonymousRateLimit.DefaultValueFactory = _ => ServerOptions.DefaultAnonymousRateLimit;
        var lockLease = CommonOptions.NonNegative("--lock-lease", $"Seconds a rollback run through this server holds its environment after its client last renewed the lock (it renews a third of the way in); after that the run counts as crashed, to be resumed or overridden (default {ServerOptions.DefaultLockLease.TotalSeconds})", required: false);
        lockLease.DefaultValueFactory = _ => (long)ServerOptions.DefaultLockLease.TotalSeconds;
        var command = new InterruptibleCommand("serve", "Serve a store to the team: the log's tiles and checkpoint (C2SP tlog-tiles), statements submitted signed by the team's CLIs (checked on the trust path before they are logged), blobs by digest, the ledger API, the Rekor v1 API, a C2SP tlog-witness (--witness), /healthz and /readyz. The server alone appends to the store's log while it runs; endpoints beyond the public ones need an API token (--token-file). Prints 'listening on http://HOST:PORT' (https:// with --tls-cert) once it serves; stops cleanly on Ctrl-C or SIGTERM.")
        {
            store, listen, logKey, tlsCert, tlsKey, requestLog, witness, witnessLogs, witnessState, witnesses, witnessTimeout, witnessRetry, tokenFile, rateLimit, anonymousRateLimit, lockLease,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var address = ListenAddress.Parse(parse.GetValue(listen)!);
            if (!address.IsOk)
                return cli.Usage(address.Problem.Message, json: false);
            if (parse.GetValue(lockLease) is < 1 or > 86_400)
                return cli.Usage("--lock-lease: between 1 and 86400 seconds", json: false);
            if (parse.GetValue(tlsKey) is not null && parse.GetValue(tlsCert) is null)
                return cli.Usage("--tls-key needs --tls-cert: the certificate the key belongs to", json: false);
            var witnessing = ServeWitnessOptions.Witness(parse.GetValue(store)!, parse.GetValue(witness), parse.GetValue(witnessLogs) ?? [], parse.GetValue(witnessState));
            if (!witnessing.IsOk)
                return cli.Usage(witnessing.Problem.Message, json: false);
            var policy = LogAccess.LoadOptionalPolicy(parse.GetValue(witnesses));
            if (!policy.IsOk)
                return cli.Fail(policy.Problem);
            var options = new ServerOptions(parse.GetValue(store)!, address.Value)
            {
                LogKey = parse.GetValue(logKey),
                TlsCertificateFile = parse.GetValue(tlsCert),
                TlsKeyFile = parse.GetValue(tlsKey),
                RequestLogFile = parse.GetValue(requestLog),
                Witness = witnessing.Value,
                Witnesses = policy.Value,
                WitnessTimeout = Durations.Parse(parse.GetValue(witnessTimeout)!, Durations.WitnessWait).Value,
                WitnessRetry = Durations.Parse(parse.GetValue(witnessRetry)!, Durations.WitnessWait).Value,
                TokenFile = parse.GetValue(tokenFile),
                TokenRateLimit = (int)Math.Min(int.MaxValue, parse.GetValue(rateLimit)),
                AnonymousRateLimit = (int)Math.Min(int.MaxValue, parse.GetValue(anonymousRateLimit)),
                LockLease = TimeSpan.FromSeconds(parse.GetValue(lockLease)),
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
