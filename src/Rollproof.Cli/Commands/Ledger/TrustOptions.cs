using System.CommandLine;
using System.CommandLine.Parsing;
using Rollproof.Common;
using Rollproof.Trust;

namespace Rollproof.Cli.Commands.Ledger;

/// <summary>A key to trust as the command line gave it: the option and value (for messages), its name, its public key file and its kinds.</summary>
internal sealed record KeyGrant(string Option, string Value, string Name, string PublicKeyFile, IReadOnlyList<string> Kinds);

/// <summary>
/// The options that name keys and kinds for <c>trust init</c> and <c>trust add</c>. A mistake in a name or a kind is
/// a usage error (exit 2) caught while parsing, before any file is read or anything is logged.
/// </summary>
internal static class TrustOptions
{
    /// <summary>Every kind but <c>checkpoint</c>: the log's key signs checkpoints, and <c>rollproof init</c> adds it to the trust itself.</summary>
    public static IReadOnlyList<string> Grantable { get; } = [.. KnownKinds.All.Where(k => k != KnownKinds.Checkpoint)];

    public static Option<string> Name(string description)
    {
        var option = new Option<string>("--name") { Description = description, Required = true };
        option.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && !Names.IsValid(token.Value))
                result.AddError($"--name '{token.Value}': {Names.Rule}");
        });
        return option;
    }

    /// <summary>--kind, repeated or comma-separated (<c>--kind approval,review</c>); only kinds in <paramref name="allowed"/>.</summary>
    public static Option<string[]> Kinds(string description, IReadOnlyList<string> allowed) => new("--kind")
    {
        Description = description,
        Required = true,
        CustomParser = result => [.. result.Tokens.SelectMany(t => ParseKinds(result, "--kind", t.Value, t.Value, allowed) ?? []).Distinct(StringComparer.Ordinal)],
    };

    /// <summary>A repeatable option whose values are NAME=PUBLIC_KEY_FILE:KIND[,KIND…], or NAME=PUBLIC_KEY_FILE when <paramref name="roleKinds"/> fixes the kinds.</summary>
    public static Option<KeyGrant[]> Grants(string name, string description, IReadOnlyList<string>? roleKinds) => new(name)
    {
        Description = description,
        HelpName = roleKinds is null ? "NAME=FILE:KINDS" : "NAME=FILE",
        Arity = ArgumentArity.OneOrMore,
        CustomParser = result => [.. result.Tokens.Select(t => ParseGrant(result, name, t.Value, roleKinds)).OfType<KeyGrant>()],
    };

    private static KeyGrant? ParseGrant(ArgumentResult result, string option, string value, IReadOnlyList<string>? roleKinds)
    {
        var shape = roleKinds is null ? "NAME=PUBLIC_KEY_FILE:KIND[,KIND…]" : "NAME=PUBLIC_KEY_FILE";
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
            return Error<KeyGrant>(result, $"{option} '{value}': expected {shape}");
        var (name, rest) = (value[..equals], value[(equals + 1)..]);
        if (!Names.IsValid(name))
            return Error<KeyGrant>(result, $"{option} '{value}': the name '{name}' is not valid: {Names.Rule}");
        if (roleKinds is not null)
            return rest.Length == 0 ? Error<KeyGrant>(result, $"{option} '{value}': expected {shape}") : new KeyGrant(option, value, name, rest, roleKinds);
        // Kinds never hold a ':', a path may (C:\keys\ci.pub): the kinds start after the last one.
        var colon = rest.LastIndexOf(':');
        if (colon <= 0 || colon == rest.Length - 1)
            return Error<KeyGrant>(result, $"{option} '{value}': expected {shape}, e.g. {name}=keys/{name}.pub:approval,review");
        var kinds = ParseKinds(result, option, value, rest[(colon + 1)..], Grantable);
        return kinds is null ? null : new KeyGrant(option, value, name, rest[..colon], kinds);
    }

    private static IReadOnlyList<string>? ParseKinds(ArgumentResult result, string option, string value, string list, IReadOnlyList<string> allowed)
    {
        var kinds = list.Split(',', StringSplitOptions.TrimEntries);
        if (kinds.FirstOrDefault(k => !allowed.Contains(k, StringComparer.Ordinal)) is not { } wrong)
            return kinds;
        var why = wrong.Length == 0 ? "an empty kind"
            : wrong == KnownKinds.Checkpoint ? "'checkpoint' is the log's key's kind, and 'rollproof init' adds the log's key itself"
            : $"unknown kind '{wrong}'";
        return Error<IReadOnlyList<string>>(result, $"{option} '{value}': {why}; the kinds are {string.Join(", ", allowed)}");
    }

    private static T? Error<T>(ArgumentResult result, string message) where T : class
    {
        result.AddError(message);
        return null;
    }
}
