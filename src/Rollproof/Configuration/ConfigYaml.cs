using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Runbooks;

namespace Rollproof.Configuration;

/// <summary>
/// Reads <c>rollproof.yaml</c> strictly: <c>store</c> (or <c>server</c> and <c>server-log-key</c>), <c>keyring</c>, <c>key</c> and
/// <c>environments: { NAME: { values: { … } } }</c>, nothing else (a misspelt key is an error naming its line, not a
/// setting silently ignored), bounded like every input, and refusing a value with a credential written inline
/// (RP2620): the file is meant to be committed beside the app.
/// </summary>
public static class ConfigYaml
{
    public const int MaxSize = 256 * 1024;

    public static Result<RollproofConfig> Read(string path)
    {
        var read = InputFile.Read(path, MaxSize, "config file");
        return read.IsOk ? Parse(System.Text.Encoding.UTF8.GetString(read.Value), Path.GetFullPath(path)) : read.Problem;
    }

    public static Result<RollproofConfig> Parse(string yaml, string file)
    {
        var loaded = YamlFields.Load(yaml, MaxSize, "config file", ErrorCodes.ConfigInvalid);
        if (!loaded.IsOk)
            return loaded.Problem with { Message = $"{file}: {loaded.Problem.Message}" };
        var fields = loaded.Value;
        var directory = Path.GetDirectoryName(file)!;
        try
        {
            string? Folder(string key) => fields.Text(key) is { } folder ? Path.GetFullPath(folder, directory) : null;
            var config = new RollproofConfig(file, Folder("store"), Folder("keyring"), fields.Text("key"), Environments(fields.Section("environments")))
            {
                Server = fields.Text("server"),
                ServerLogKey = fields.Text("server-log-key"),
            };
            fields.RejectUnknown();
            return Result<RollproofConfig>.Ok(config);
        }
        catch (YamlFieldException e)
        {
            return Result<RollproofConfig>.Fail(e.Code ?? ErrorCodes.ConfigInvalid, $"{file}: {e.Message}");
        }
    }

    private static Dictionary<string, IReadOnlyDictionary<string, string>> Environments(YamlFields? section)
    {
        var environments = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (name, environment) in section?.Sections() ?? [])
        {
            if (!Names.IsValid(name))
                throw section!.ErrorAt(name, $"is not an environment name ({Names.Rule})");
            environments[name] = environment.Strings("values", RunbookValues.Check(ErrorCodes.ConfigInvalid));
            environment.RejectUnknown();
        }
        return environments;
    }
}
