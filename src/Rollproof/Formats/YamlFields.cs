using System.Globalization;
using Rollproof.Common;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Rollproof.Formats;

/// <summary>Thrown inside the policy reader with the line and path of the offending value; the reader turns it into a problem.</summary>
internal sealed class YamlFieldException(string message, string? code = null) : Exception(message)
{
    /// <summary>The problem's code when it is not the reader's usual one (a secret written inline: RP2620).</summary>
    public string? Code { get; } = code;
}

/// <summary>
/// Typed, strict reads from one YAML mapping: every value is checked for its kind and range, and keys nobody read are
/// reported by <see cref="RejectUnknown"/>, so a misspelt rule is an error rather than a rule silently not applied.
/// </summary>
internal sealed class YamlFields(YamlMappingNode node, string path)
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>How deep collections may nest in a policy or runbook; theirs go four levels deep at most.</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// Loads one YAML document of at most <paramref name="maxSize"/> characters, nested at most <see cref="MaxDepth"/>
    /// levels, as the fields of its top mapping; a leading byte-order mark is dropped (editors on Windows write one).
    /// Problems carry <paramref name="errorCode"/> and name the line.
    /// </summary>
    public static Result<YamlFields> Load(string yaml, int maxSize, string what, string errorCode)
    {
        if (yaml.Length > maxSize)
            return Result<YamlFields>.Fail(errorCode, $"the {what} is {yaml.Length} characters, more than the {maxSize} allowed");
        var stream = new YamlStream();
        try
        {
            stream.Load(new DepthLimitedParser(yaml.StartsWith('\uFEFF') ? yaml[1..] : yaml, MaxDepth, what));
        }
        catch (YamlException e)
        {
            return Result<YamlFields>.Fail(errorCode, $"line {e.Start.Line}: not valid YAML: {e.Message}");
        }
        catch (YamlFieldException e)
        {
            return Result<YamlFields>.Fail(errorCode, e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet throws these, not a YamlException, on some malformed text (a flow list never closed, an alias after one).
            return Result<YamlFields>.Fail(errorCode, $"not valid YAML: {e.Message}");
        }
        if (stream.Documents.Count != 1)
            return Result<YamlFields>.Fail(errorCode, $"a {what} is one YAML document, not {stream.Documents.Count}");
        try
        {
            return Result<YamlFields>.Ok(Of(stream.Documents[0].RootNode, ""));
        }
        catch (YamlFieldException e)
        {
            return Result<YamlFields>.Fail(errorCode, e.Message);
        }
    }

    public static YamlFields Of(YamlNode node, string path) =>
        node is YamlMappingNode mapping ? new YamlFields(mapping, path) : throw Error(node, path, "must be a mapping of keys to values");

    public string? Text(string key, bool required = false)
    {
        var value = Value(key, required);
        return value switch
        {
            null => null,
            YamlScalarNode { Value: { Length: > 0 } text } => text,
            _ => throw Error(value, Child(key), "must be a non-empty text"),
        };
    }

    public int Integer(string key, int fallback, int min, int max)
    {
        var text = Text(key);
        if (text is null)
            return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw Error(Value(key, true)!, Child(key), $"must be a whole number from {min} to {max}");
    }

    public bool Flag(string key, bool fallback) =>
        Text(key) switch
        {
            null => fallback,
            "true" => true,
            "false" => false,
            _ => throw Error(Value(key, true)!, Child(key), "must be true or false"),
        };

    /// <summary>A duration such as <c>30m</c>, <c>48h</c> or <c>90d</c>, within <paramref name="range"/>.</summary>
    public TimeSpan? Duration(string key, DurationRange range)
    {
        var text = Text(key);
        if (text is null)
            return null;
        var duration = Durations.Parse(text, range);
        return duration.IsOk ? duration.Value : throw Error(Value(key, true)!, Child(key), duration.Problem.Message);
    }

    /// <summary>A list of people, by their key names in the trust file.</summary>
    public IReadOnlySet<string> People(string key)
    {
        var value = Value(key, required: false);
        if (value is null)
            return new HashSet<string>(StringComparer.Ordinal);
        if (value is not YamlSequenceNode list)
            throw Error(value, Child(key), "must be a list of names, e.g. [alice, bob]");
        var people = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (item, i) in list.Children.Select((item, i) => (item, i)))
        {
            if (item is not YamlScalarNode { Value: { } name } || !Names.IsValid(name))
                throw Error(item, $"{Child(key)}[{i}]", $"must be a key name from the trust file ({Names.Rule})");
            if (!people.Add(name))
                throw Error(item, $"{Child(key)}[{i}]", $"'{name}' is listed twice");
        }
        return people;
    }

    /// <summary>A list of mappings, each read with its own strictness (<c>steps: [{id: …}, …]</c>).</summary>
    public IReadOnlyList<YamlFields> Items(string key, bool required)
    {
        var value = Value(key, required);
        if (value is null)
            return [];
        if (value is not YamlSequenceNode list || list.Children.Count == 0)
            throw Error(value, Child(key), "must be a non-empty list");
        return [.. list.Children.Select((item, i) => Of(item, $"{Child(key)}[{i}]"))];
    }

    /// <summary>A mapping of names to text values (parameters), kept as written.</summary>
    public IReadOnlyDictionary<string, string> Strings(string key, Func<string, string, Problem?>? check = null)
    {
        var value = Value(key, required: false);
        if (value is null)
            return new Dictionary<string, string>(StringComparer.Ordinal);
        if (value is not YamlMappingNode mapping)
            throw Error(value, Child(key), "must be a mapping of names to values");
        return new YamlFields(mapping, Child(key)).AllStrings(check);
    }

    /// <summary>
    /// Every key of this mapping with its text value, kept as written; <paramref name="check"/> returns what is wrong
    /// with a name and value, if anything, and the error keeps its code and names the value's line.
    /// </summary>
    public IReadOnlyDictionary<string, string> AllStrings(Func<string, string, Problem?>? check = null)
    {
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in node.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            _read.Add(name);
            var text = v is YamlScalarNode { Value: { } scalar } ? scalar : throw Error(v, Child(name), "must be a single value");
            if (check?.Invoke(name, text) is { } wrong)
                throw new YamlFieldException(Error(v, Child(name), wrong.Message).Message, wrong.Code);
            strings[name] = text;
        }
        return strings;
    }

    /// <summary>Every key of this mapping with its value read as a mapping of its own (<c>environments: { prod: {…} }</c>).</summary>
    public IReadOnlyList<(string Name, YamlFields Fields)> Sections()
    {
        var sections = new List<(string, YamlFields)>();
        foreach (var (k, v) in node.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            _read.Add(name);
            sections.Add((name, Of(v, Child(name))));
        }
        return sections;
    }

    public YamlFields? Section(string key)
    {
        var value = Value(key, required: false);
        return value is null ? null : Of(value, Child(key));
    }

    public void RejectUnknown()
    {
        foreach (var (key, value) in node.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!_read.Contains(name))
                throw Error(key, Child(name), "is not a known setting (misspelt?)");
        }
    }

    /// <summary>An error about a value already read, at its line (or the mapping's, when it was left out).</summary>
    public YamlFieldException ErrorAt(string key, string message) =>
        Error(node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : node, Child(key), message);

    public static YamlFieldException Error(YamlNode node, string path, string message) => new($"line {node.Start.Line}: {path}: {message}");

    private YamlNode? Value(string key, bool required)
    {
        _read.Add(key);
        if (node.Children.TryGetValue(new YamlScalarNode(key), out var value) && !IsNull(value))
            return value;
        return required ? throw Error(node, Child(key), "is required") : null;
    }

    // An empty or plain null value (key:, key: ~, key: null) is the key left unset, as YAML means it.
    private static bool IsNull(YamlNode value) => value is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" };

    private string Child(string key) => path == "" ? key : $"{path}.{key}";
}
