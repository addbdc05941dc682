using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Releases;

namespace Rollproof.Cli.Commands.Releases;

internal static class ReleaseSignCommand
{
    public static Command Create(CliContext cli)
    {
        var statement = new Argument<string>("STATEMENT") { Description = "A release statement written by 'release create'" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the signed DSSE envelope", Required = true };
        var signer = new SignerOptions();
        var json = CommonOptions.Json();
        var command = new Command("sign", "Sign a release statement into a DSSE envelope, with a key file or an external signer.") { statement, output, json };
        signer.AddTo(command);
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            var bytes = InputFile.Read(parse.GetValue(statement)!, InTotoStatement.MaxSize, "statement file");
            if (!bytes.IsOk)
                return cli.Fail(bytes.Problem, asJson);
            var parsed = InTotoStatement.Parse(bytes.Value);
            if (!parsed.IsOk)
                return cli.Fail(parsed.Problem, asJson);
            var predicate = ReleaseStatement.Read(parsed.Value);
            if (!predicate.IsOk)
                return cli.Fail(predicate.Problem, asJson);
            var key = signer.Resolve(parse, cli);
            if (!key.IsOk)
                return cli.Fail(key.Problem, asJson);
            DsseEnvelope envelope;
            try
            {
                envelope = parsed.Value.Sign(key.Value);
            }
            finally
            {
                (key.Value as IDisposable)?.Dispose();
            }
            await File.WriteAllBytesAsync(parse.GetValue(output)!, envelope.ToJson(), cancellation);
            if (asJson)
                cli.WriteJson(new { envelope = parse.GetValue(output), app = predicate.Value.App, version = predicate.Value.Version, signedBy = key.Value.KeyId });
            else
                cli.Out.WriteLine($"signed {predicate.Value.App} {predicate.Value.Version} with {key.Value.KeyId} into {parse.GetValue(output)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
