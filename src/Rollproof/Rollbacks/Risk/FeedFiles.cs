using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;

namespace Rollproof.Rollbacks.Risk;

/// <summary>
/// The files of a vulnerability feed, by name, as one blob a rollback request names by digest: whoever re-derives
/// the request's risk later reads exactly the advisories the requester had, from the artifact store, not from a
/// directory that may have changed since.
/// </summary>
public sealed record FeedFiles(IReadOnlyList<(string Name, byte[] Bytes)> Files)
{
    public const int MaxFiles = 100_000;
    public const long MaxFileSize = 4 << 20;

    /// <summary>A stored feed is at most this large; a larger one is refused when it is read from a directory.</summary>
    public const long MaxSize = 256L << 20;

    private const string Format = "rollproof.dev/vulnerability-feed/v1";

    public static FeedFiles None { get; } = new([]);

    /// <summary>The <c>*.json</c> files under <paramref name="directory"/>, in ordinal order of their paths relative to it.</summary>
    public static Result<FeedFiles> Read(string directory)
    {
        if (!Directory.Exists(directory))
            return Result<FeedFiles>.Fail(ErrorCodes.InputMissing, $"vulnerability feed '{directory}' is not a directory");
        var paths = Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(MaxFiles + 1).ToList();
        if (paths.Count > MaxFiles)
            return Result<FeedFiles>.Fail(ErrorCodes.InputTooLarge, $"vulnerability feed '{directory}' holds more than {MaxFiles} files");
        var files = new List<(string, byte[])>();
        long total = 0;
        foreach (var path in paths)
        {
            var bytes = InputFile.Read(path, MaxFileSize, "advisory");
            if (!bytes.IsOk)
                return bytes.Problem;
            if ((total += bytes.Value.Length) > MaxSize / 2)
                return Result<FeedFiles>.Fail(ErrorCodes.InputTooLarge, $"vulnerability feed '{directory}' is larger than {MaxSize / 2} bytes");
            files.Add((path, bytes.Value));
        }
        return Result<FeedFiles>.Ok(new FeedFiles(files));
    }

    /// <summary>The canonical blob: names relative to the feed's directory, contents in base64.</summary>
    public byte[] ToBlob(string directory) => CanonicalJson.Canonicalize(JsonSerializer.SerializeToElement(new
    {
        format = Format,
        files = Files.Select(f => new { name = Path.GetRelativePath(directory, f.Name).Replace('\\', '/'), content = Convert.ToBase64String(f.Bytes) }),
    })).Value;

    public static Result<FeedFiles> FromBlob(byte[] blob, string digest)
    {
        try
        {
            using var json = TextJson.Parse(blob, new JsonDocumentOptions { MaxDepth = 8 });
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format
                || !root.TryGetProperty("files", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > MaxFiles)
                return Result<FeedFiles>.Fail(ErrorCodes.FeedInvalid, $"stored feed {digest}: not a {Format} document");
            var files = new List<(string, byte[])>();
            foreach (var file in list.EnumerateArray())
            {
                if (file.ValueKind != JsonValueKind.Object || !file.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                    || !file.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String || !content.TryGetBytesFromBase64(out var bytes))
                    return Result<FeedFiles>.Fail(ErrorCodes.FeedInvalid, $"stored feed {digest}: files[{files.Count}] needs a name and base64 content");
                files.Add(($"{digest}:{name.GetString()}", bytes));
            }
            return Result<FeedFiles>.Ok(new FeedFiles(files));
        }
        catch (JsonException e)
        {
            return Result<FeedFiles>.Fail(ErrorCodes.FeedInvalid, $"stored feed {digest}: not valid JSON: {e.Message}");
        }
    }
}
