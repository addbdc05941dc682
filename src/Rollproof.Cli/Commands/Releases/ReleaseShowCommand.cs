using System.CommandLine;
using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Formats;
using Rollproof.Releases;

namespace Rollproof.Cli.Commands.Releases;

internal static class ReleaseShowCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var app = new Option<string>("--app") { Description = "The application", Required = true };
        var version = new Option<string>("--version") { Description = "The version", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("show", "Show a release's record and signed statement (not a verification: use 'release verify').") { store, app, version, json };
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            var record = opened.Value.Find(parse.GetValue(app)!, parse.GetValue(version)!);
            if (!record.IsOk)
                return cli.Fail(record.Problem, asJson);
            var envelope = await opened.Value.ReadEnvelopeAsync(record.Value.EnvelopeDigest, cancellation);
            if (!envelope.IsOk)
                return cli.Fail(envelope.Problem, asJson);
            var parsed = DsseEnvelope.Parse(envelope.Value);
            if (!parsed.IsOk)
                return cli.Fail(parsed.Problem, asJson);
            using var statement = JsonDocument.Parse(parsed.Value.Payload);
            if (asJson)
                cli.WriteJson(new { record = record.Value, statement = statement.RootElement });
            else
                cli.Out.WriteLine($"{record.Value.App} {record.Value.Version}: log index {record.Value.LogIndex?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (publish cut short)"}, published {record.Value.PublishedAt:u}\n{JsonSerializer.Serialize(statement.RootElement, Indented)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
