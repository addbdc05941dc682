using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rollproof.Fuzz.Mutations;

/// <summary>
/// Mutations of a JSON document as a tree: a value replaced by a limit, a wrong type, a hostile string, deep nesting
/// or a subtree from elsewhere; members dropped, duplicated or added; arrays grown. A string that is base64 of JSON
/// (a DSSE payload, a stored feed's files) is mutated inside and encoded again, so nested formats are reached too.
/// Input that does not parse as JSON is left to the byte mutations.
/// </summary>
internal static class JsonMutations
{
    private static readonly int[] Depths = [8, 63, 64, 65, 200];
    // Written past System.Text.Json's default depth of 64: deep nesting is one of the mutations.
    private static readonly JsonSerializerOptions Escaped = new() { MaxDepth = 1024 };
    private static readonly JsonSerializerOptions Raw = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 1024 };

    public static byte[]? Mutate(byte[] input, Random random, IReadOnlyList<byte[]> corpus)
    {
        // System.Text.Json decodes strings lazily, so invalid UTF-8 would throw mid-mutation: left to the byte mutations.
        if (!System.Text.Unicode.Utf8.IsValid(input))
            return null;
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(input, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            return null;
        }
        if (root is null)
            return null;
        try
        {
            return Mutate(root, random, corpus);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // System.Text.Json parses a member twice or an escaped lone surrogate, then refuses to walk or write it:
            // left to the byte mutations.
            return null;
        }
    }

    private static byte[] Mutate(JsonNode root, Random random, IReadOnlyList<byte[]> corpus)
    {
        if (random.Next(8) == 0)
            return DuplicateMember(root.ToJsonString(Escaped), random);
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = Interesting.Pick(random, nodes);
        if (target == root)
            return Encoding.UTF8.GetBytes(Value(random, corpus, root)?.ToJsonString(Options(random)) ?? "null");
        Mutate(target, random, corpus, root);
        return Encoding.UTF8.GetBytes(root.ToJsonString(Options(random)));
    }

    private static JsonSerializerOptions Options(Random random) => random.Next(2) == 0 ? Raw : Escaped;

    private static void Mutate(JsonNode target, Random random, IReadOnlyList<byte[]> corpus, JsonNode root)
    {
        var parent = target.Parent!;
        switch (random.Next(6))
        {
            case 0 when parent is JsonObject members:
                members.Remove(target.GetPropertyName());
                break;
            case 1 when parent is JsonObject members:
                members[Interesting.Pick(random, ["", "__proto__", "extra", "\u00e9", target.GetPropertyName() + "\u0000", target.GetPropertyName().ToUpperInvariant()])] = Value(random, corpus, root);
                break;
            case 2 when parent is JsonArray items:
                var copies = random.Next(3) == 0 ? 1000 : 1 + random.Next(3);
                for (var i = 0; i < copies; i++)
                    items.Add(target.DeepClone());
                break;
            case 3 when parent is JsonArray items:
                items.Remove(target);
                break;
            case 4 when target is JsonValue value && value.TryGetValue<string>(out var text) && Nested(text, random, corpus) is { } inner:
                target.ReplaceWith(inner);
                break;
            default:
                target.ReplaceWith(Value(random, corpus, root));
                break;
        }
    }

    // A string holding base64 of something: that something mutated (as JSON if it is JSON), encoded again.
    private static string? Nested(string text, Random random, IReadOnlyList<byte[]> corpus)
    {
        var bytes = new byte[text.Length];
        if (text.Length == 0 || !Convert.TryFromBase64String(text, bytes, out var length))
            return null;
        var decoded = bytes[..length];
        var mutated = Mutate(decoded, random, corpus) ?? ByteMutations.Mutate(decoded, random, corpus, maxRepeat: 64);
        return Convert.ToBase64String(mutated);
    }

    private static JsonNode? Value(Random random, IReadOnlyList<byte[]> corpus, JsonNode root) => random.Next(9) switch
    {
        0 => Number(random),
        1 => JsonValue.Create(Interesting.Pick(random, Interesting.Strings).Replace("\\u0000", "\0", StringComparison.Ordinal)),
        2 => null,
        3 => Interesting.Pick(random, new JsonNode?[] { JsonValue.Create(true), new JsonObject(), new JsonArray() })?.DeepClone(),
        4 => JsonValue.Create(new string('a', random.Next(2) == 0 ? 70_000 : 1_000)),
        5 => Nesting(random),
        6 => Subtree(Interesting.Pick(random, corpus), random) ?? Subtree(Encoding.UTF8.GetBytes(root.ToJsonString(Escaped)), random),
        7 => JsonValue.Create(Convert.ToBase64String(ByteMutations.Slice(Interesting.Pick(random, corpus), random))),
        _ => JsonValue.Create(Encoding.UTF8.GetString(ByteMutations.Slice(Interesting.Pick(random, corpus), random, 64))),
    };

    // A limit as a JSON number where JSON can write it (1e400, -0, 2^64 …), else as a string ("NaN", "0x10").
    private static JsonNode? Number(Random random)
    {
        var text = Interesting.Pick(random, Interesting.Numbers);
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    // Nesting just under, at and past the depths parsers bound (System.Text.Json: 64), and far past.
    private static JsonNode Nesting(Random random)
    {
        var depth = Interesting.Pick(random, Depths);
        var text = random.Next(2) == 0 ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 256 })!;
    }

    private static JsonNode? Subtree(byte[] seed, Random random)
    {
        try
        {
            var nodes = new List<JsonNode>();
            Collect(JsonNode.Parse(seed, documentOptions: new JsonDocumentOptions { MaxDepth = 256 }), nodes);
            return nodes.Count == 0 ? null : Interesting.Pick(random, nodes).DeepClone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // System.Text.Json will not build an object with a key twice, so the duplicate is made in the text.
    private static byte[] DuplicateMember(string json, Random random)
    {
        var keys = new List<int>();
        for (var i = json.IndexOf("\":", StringComparison.Ordinal); i >= 0; i = json.IndexOf("\":", i + 2, StringComparison.Ordinal))
            keys.Add(i);
        if (keys.Count == 0)
            return Encoding.UTF8.GetBytes(json);
        var colon = Interesting.Pick(random, keys);
        var open = json.LastIndexOf('"', colon - 1);
        var name = json[open..(colon + 1)];
        var replacement = Interesting.Pick(random, ["null", "1", "\"x\"", "{}", "[]"]);
        return Encoding.UTF8.GetBytes(json.Insert(open, $"{name}:{replacement},"));
    }

    private static void Collect(JsonNode? node, List<JsonNode> nodes)
    {
        if (node is null)
            return;
        nodes.Add(node);
        if (node is JsonObject members)
            foreach (var (_, child) in members)
                Collect(child, nodes);
        else if (node is JsonArray items)
            foreach (var child in items)
                Collect(child, nodes);
    }
}
