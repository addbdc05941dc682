using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Cli.Commands;

internal static class LogAppendCommand
{
    public static Command Create(CliContext cli)
    {
        var dir = CommonOptions.LogDirectory();
        var files = new Argument<string[]>("FILE") { Description = "Files to log, one entry each (raw bytes, at most 65,535)", Arity = ArgumentArity.OneOrMore };
        var key = new Option<string?>("--key") { Description = "The log's key (a key file or a pkcs11: URI naming a key in a token), if not the one recorded by 'log init'" };
        var json = CommonOptions.Json();
        var command = new Command("append", "Append entries and print each one's index once a durable, signed checkpoint covers it. An entry already in the log gets its first index back.")
        {
            dir, files, key, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            var paths = parse.GetValue(files)!;
            // Read and check every file before touching the log: bad input changes nothing.
            var entries = new List<byte[]>(paths.Length);
            foreach (var path in paths)
            {
                var entry = InputFile.Read(path, EntryBundle.MaxEntrySize, "entry file");
                if (!entry.IsOk)
                    return cli.Fail(entry.Problem, asJson);
                entries.Add(entry.Value);
            }
            var log = LogDirectory.Open(parse.GetValue(dir)!);
            if (!log.IsOk)
                return cli.Fail(log.Problem, asJson);
            var opened = log.Value.OpenWriter(parse.GetValue(key));
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            long[] indexes;
            await using (var writer = opened.Value)
            {
                indexes = await Task.WhenAll(entries.Select(e => writer.Writer.AppendAsync(e)));
            }
            if (asJson)
            {
                cli.WriteJson(paths.Zip(indexes, (file, index) => new { file, index }));
            }
            else
            {
                foreach (var (file, index) in paths.Zip(indexes))
                    cli.Out.WriteLine($"{index}\t{file}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
