using System.CommandLine;
using System.Text;
using Rollproof.Cli.Infrastructure;

namespace Rollproof.Cli.Commands;

internal static class LogCheckpointCommand
{
    public static Command Create(CliContext cli)
    {
        var dir = CommonOptions.LogDirectory();
        var json = CommonOptions.Json();
        var command = new Command("checkpoint", "Print the current signed checkpoint byte for byte as stored, after checking its signature with the log's key.")
        {
            dir, json,
        };
        command.SetAction(parse =>
        {
            var opened = LogAccess.OpenVerified(parse.GetValue(dir)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, parse.GetValue(json));
            var (_, verified) = opened.Value;
            var note = verified.Note.ToString();
            if (parse.GetValue(json))
            {
                var c = verified.Checkpoint;
                cli.WriteJson(new { origin = c.Origin, size = c.Size, rootHash = Convert.ToBase64String(c.RootHash), checkpoint = note });
            }
            else
            {
                cli.Out.Write(note);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
