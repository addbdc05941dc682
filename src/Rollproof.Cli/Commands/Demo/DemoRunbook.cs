namespace Rollproof.Cli.Commands.Demo;

/// <summary>Where the demo environment keeps things, as the runbook refers to them.</summary>
internal sealed record DemoEnvironment(string Database, string SigningKey, string PublicKey, string Local, string Quarantine, string Notifications, DemoRouter Router);

/// <summary>
/// The demo's emergency runbook, the default sequence on the local target: tell the team, pause ingress, snapshot the
/// database, drain the bad release, deploy the target by digest, undo its migrations, run the app's own verification
/// suite, re-introduce traffic in canary steps (what is not let in yet keeps getting 503 from the hold server), replay
/// what was refused meanwhile, resume, tell customers, and sign the reconciliation report.
/// </summary>
internal static class DemoRunbook
{
    public static string Render(DemoEnvironment env, string dwell) => $"""
        name: docsign emergency rollback
        steps:
          - id: tell-team
            uses: notify
            with:
              phase: internal
              file: {Q(Path.Combine(env.Notifications, "internal.txt"))}
              message: "Rolling back {"{{app}}"} in {"{{environment}}"} from {"{{current.version}}"} to {"{{target.version}}"} (request {"{{request}}"}): signatures stopped verifying."
          - id: pause
            uses: pause-ingress
            with: {"{"} socket: {Q(env.Router.Socket)}, backend: app, servers: "blue,green" {"}"}
          - id: snapshot
            uses: snapshot
            with: {"{"} sqlite: {Q(env.Database)} {"}"}
          - id: drain-bad
            uses: drain
            with: {"{"} local: {Q(env.Local)}, slot: green, grace: 10s, socket: {Q(env.Router.Socket)}, backend: app, server: green {"}"}
          - id: deploy-target
            uses: deploy
            with:
              local: {Q(env.Local)}
              slot: blue
              port: "{env.Router.BluePort}"
              run: {Q($"env DOCSIGN_DB={Sh(env.Database)} DOCSIGN_KEY={Sh(env.SigningKey)} dotnet Docsign.dll")}
              health: "http://127.0.0.1:{"{{port}}"}/health"
          - id: migrate-down
            uses: migrate-down
            with: {"{"} sqlite: {Q(env.Database)} {"}"}
          - id: verify-signatures
            uses: verify
            with:
              run: {Q($"dotnet \"{"{{steps.deploy-target.directory}}"}/Docsign.dll\" check http://127.0.0.1:{env.Router.BluePort} {Sh(env.PublicKey)}")}
          - id: canary
            uses: canary
            with:
              socket: {Q(env.Router.Socket)}
              backend: app
              from: hold
              to: blue
              steps: "1,10,50,100"
              dwell: {dwell}
              maxErrorRate: "0.01"
              url: "http://127.0.0.1:{env.Router.BluePort}/health"
          - id: replay
            uses: replay
            with: {"{"} quarantine: {Q(env.Quarantine)}, url: "http://127.0.0.1:{env.Router.Port}" {"}"}
          - id: resume
            uses: resume-ingress
            with: {"{"} socket: {Q(env.Router.Socket)}, backend: app, servers: blue {"}"}
          - id: tell-customers
            uses: notify
            with:
              phase: customers
              file: {Q(Path.Combine(env.Notifications, "customers.txt"))}
              message: "Document signing is restored ({"{{app}}"} {"{{target.version}}"}). Documents refused during the incident have been signed; no action is needed."
          - id: report
            uses: report

        """;

    private static string Sh(string text) => $"'{text.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    private static string Q(string text) => $"\"{Esc(text)}\"";

    private static string Esc(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
