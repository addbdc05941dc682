using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Rollproof.Common;

namespace Rollproof.Server.Access;

/// <summary>
/// The server's API tokens, as hashes only: one line per token, <c>NAME sha256:HEX</c> or <c>NAME sha256:HEX auditor</c>,
/// where NAME is the trust name the token acts as; <c>#</c> starts a comment. <c>rollproof server token add</c> appends
/// a line and prints the token once; <c>token revoke</c> removes lines; a running server sees either at its next request.
/// </summary>
public sealed class TokenFile
{
    public const int MaxSize = 1 << 20;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    private const string Header = "# rollproof API tokens: NAME sha256:HEX [auditor] (hashes only; 'rollproof server token add' mints one)\n";

    private TokenFile(IReadOnlyList<TokenEntry> entries) => Entries = entries;

    public IReadOnlyList<TokenEntry> Entries { get; }

    public static TokenFile Empty { get; } = new([]);

    /// <summary>The file at <paramref name="path"/>; a missing file is empty only when <paramref name="missingIsEmpty"/> (minting the first token).</summary>
    public static Result<TokenFile> Read(string path, bool missingIsEmpty = false)
    {
        if (missingIsEmpty && !File.Exists(path))
            return Result<TokenFile>.Ok(Empty);
        var bytes = InputFile.Read(path, MaxSize, "the token file");
        return bytes.IsOk ? Parse(bytes.Value, path) : bytes.Problem;
    }

    public static Result<TokenFile> Parse(ReadOnlySpan<byte> bytes, string path)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Fail(path, 0, "is not UTF-8 text");
        }
        var entries = new List<TokenEntry>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var entry = ParseLine(line);
            if (!entry.IsOk)
                return Fail(path, i + 1, entry.Problem.Message);
            if (entries.Any(e => e.Hash.AsSpan().SequenceEqual(entry.Value.Hash)))
                return Fail(path, i + 1, "this hash is listed already: one token, one name");
            entries.Add(entry.Value);
        }
        return Result<TokenFile>.Ok(new TokenFile(entries));
    }

    private static Result<TokenEntry> ParseLine(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is < 2 or > 3)
            return Malformed("expected 'NAME sha256:HEX' or 'NAME sha256:HEX auditor'");
        if (!Names.IsValid(fields[0]))
            return Malformed($"name '{fields[0]}': {Names.Rule}");
        if (!fields[1].StartsWith("sha256:", StringComparison.Ordinal) || fields[1].Length != 7 + 64 || !IsLowerHex(fields[1].AsSpan(7)))
            return Malformed("the hash must be sha256: and 64 lowercase hex digits (the file never holds a token itself)");
        if (fields.Length == 3 && fields[2] != TokenEntry.AuditorRole)
            return Malformed($"'{fields[2]}' is not a role a token file gives (only '{TokenEntry.AuditorRole}'; what a name may sign comes from the trust)");
        return Result<TokenEntry>.Ok(new TokenEntry(fields[0], Convert.FromHexString(fields[1].AsSpan(7)), fields.Length == 3));
    }

    private static bool IsLowerHex(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(LowerHex);

    /// <summary>This file with a new token for <paramref name="name"/>, and that token (to be shown once, never stored).</summary>
    public Result<(TokenFile File, string Token)> Add(string name, bool auditor)
    {
        if (!Names.IsValid(name))
            return Result<(TokenFile, string)>.Fail(ErrorCodes.InputMalformed, $"name '{name}': {Names.Rule}");
        var token = ApiToken.New();
        return Result<(TokenFile, string)>.Ok((new TokenFile([.. Entries, new TokenEntry(name, ApiToken.Hash(token), auditor)]), token));
    }

    /// <summary>
    /// This file without the tokens <paramref name="which"/> names: every token of a name, or the one token whose hash
    /// starts with <c>sha256:PREFIX</c> (at least 8 hex digits, as <c>token list</c> shows them).
    /// </summary>
    public Result<(TokenFile File, IReadOnlyList<TokenEntry> Removed)> Revoke(string which)
    {
        var removed = which.StartsWith("sha256:", StringComparison.Ordinal)
            ? Entries.Where(e => e.HashText.StartsWith(which, StringComparison.Ordinal)).ToList()
            : Entries.Where(e => e.Name == which).ToList();
        if (which.StartsWith("sha256:", StringComparison.Ordinal) && (which.Length < 7 + 8 || removed.Count > 1))
            return Result<(TokenFile, IReadOnlyList<TokenEntry>)>.Fail(ErrorCodes.InputMalformed, $"'{which}' must name one token: give at least 8 hex digits of its hash, enough to tell it from the others");
        if (removed.Count == 0)
            return Result<(TokenFile, IReadOnlyList<TokenEntry>)>.Fail(ErrorCodes.InputMalformed, $"no token in the file is '{which}' (a trust name or sha256:PREFIX of a token's hash)");
        return Result<(TokenFile, IReadOnlyList<TokenEntry>)>.Ok((new TokenFile([.. Entries.Except(removed)]), removed));
    }

    /// <summary>
    /// The entry whose hash is the token's, compared in constant time: every entry is compared, whatever matched,
    /// so the time taken says nothing about how close a guess came.
    /// </summary>
    public TokenEntry? Find(string token)
    {
        var hash = ApiToken.Hash(token);
        TokenEntry? found = null;
        foreach (var entry in Entries)
        {
            if (CryptographicOperations.FixedTimeEquals(entry.Hash, hash))
                found = entry;
        }
        return found;
    }

    /// <summary>Replaces the file at <paramref name="path"/> whole, so a server reading it sees the old file or the new.</summary>
    public void Write(string path) =>
        DurableFile.Replace(path, Encoding.UTF8.GetBytes(Header + string.Concat(Entries.Select(e => e + "\n"))));

    private static Result<TokenEntry> Malformed(string why) => Result<TokenEntry>.Fail(ErrorCodes.TokenFileMalformed, why);

    private static Result<TokenFile> Fail(string path, int line, string why) =>
        Result<TokenFile>.Fail(ErrorCodes.TokenFileMalformed, line == 0 ? $"token file '{path}' {why}" : $"token file '{path}' line {line}: {why}");
}
