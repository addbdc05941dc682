using System.Buffers.Binary;
using System.Text;
using Rollproof.Common;

namespace Rollproof.Signing;

/// <summary>One signature line of a note: <c>— name base64(keyID || signature)</c>.</summary>
public sealed record NoteSignature(string Name, uint KeyId, byte[] Signature)
{
    public string ToLine()
    {
        var bytes = new byte[4 + Signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, KeyId);
        Signature.CopyTo(bytes, 4);
        return $"\u2014 {Name} {Convert.ToBase64String(bytes)}\n";
    }
}

/// <summary>
/// A C2SP signed note: UTF-8 text ending in a newline, a blank line, then signature lines. Parsing checks the
/// format only; <see cref="Open"/> checks signatures against trusted keys.
/// </summary>
public sealed record SignedNote(string Text, IReadOnlyList<NoteSignature> Signatures)
{
    /// <summary>Notes larger than this are rejected before parsing: room for well over 16 post-quantum signatures.</summary>
    public const int MaxSize = 1 << 20;

    /// <summary>More signature lines than this are rejected (the specification requires accepting at least 16).</summary>
    public const int MaxSignatures = 100;

    private const string SignaturePrefix = "\u2014 ";

    public static Result<SignedNote> Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxSize)
            return Malformed($"note is {bytes.Length} bytes, more than the {MaxSize}-byte limit");
        string note;
        try
        {
            note = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            return Malformed($"note is not valid UTF-8 (byte offset {e.Index})");
        }
        return Parse(note);
    }

    public static Result<SignedNote> Parse(string note)
    {
        if (note.Length > MaxSize)
            return Malformed($"note is {note.Length} characters, more than the {MaxSize}-byte limit");
        for (var i = 0; i < note.Length; i++)
        {
            if (note[i] < 0x20 && note[i] != '\n')
                return Malformed($"note contains control character U+{(int)note[i]:X4} at offset {i}");
        }
        if (!note.EndsWith('\n'))
            return Malformed("note does not end with a newline");
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
            return Malformed("note has no blank line separating the text from the signatures");
        var text = note[..(split + 1)];
        if (split + 2 >= note.Length)
            return Malformed("note has no signature lines after the blank line");
        var lines = note[(split + 2)..^1].Split('\n');
        if (lines.Length > MaxSignatures)
            return Malformed($"note has {lines.Length} signature lines, more than the limit of {MaxSignatures}");
        var signatures = new List<NoteSignature>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var parsed = ParseSignatureLine(lines[i], i + 1);
            if (!parsed.IsOk)
                return parsed.Problem;
            signatures.Add(parsed.Value);
        }
        return Result<SignedNote>.Ok(new SignedNote(text, signatures));
    }

    /// <summary>
    /// Verifies the note against trusted keys: signatures by unknown keys are ignored, a known key's bad signature
    /// rejects the note, and at least one known key must have signed.
    /// </summary>
    public Result<VerifiedNote> Open(IEnumerable<INoteVerifier> trusted)
    {
        var known = trusted.ToLookup(v => (v.Name, v.KeyId));
        var textBytes = Encoding.UTF8.GetBytes(Text);
        var verified = new List<(INoteVerifier Key, NoteSignature Signature)>();
        var unverified = new List<NoteSignature>();
        foreach (var signature in Signatures)
        {
            var candidates = known[(signature.Name, signature.KeyId)].ToList();
            if (candidates.Count == 0)
            {
                unverified.Add(signature);
                continue;
            }
            var verifier = candidates.FirstOrDefault(v => v.Verify(textBytes, signature.Signature));
            if (verifier is null)
                return Result<VerifiedNote>.Fail(ErrorCodes.NoteSignatureInvalid, $"signature by '{signature.Name}' (key ID {NoteKeyId.Format(signature.KeyId)}) does not verify");
            verified.Add((verifier, signature));
        }
        if (verified.Count == 0)
            return Result<VerifiedNote>.Fail(ErrorCodes.NoteNoTrustedSignature, $"note has no signature by a trusted key (signed by: {string.Join(", ", Signatures.Select(s => $"{s.Name}+{NoteKeyId.Format(s.KeyId)}").Distinct())})");
        return Result<VerifiedNote>.Ok(new VerifiedNote(Text, verified, unverified));
    }

    /// <summary>Signs <paramref name="text"/> (which must end in a newline) with each signer, in order.</summary>
    public static SignedNote Sign(string text, params INoteSigner[] signers)
    {
        if (!text.EndsWith('\n'))
            throw new ArgumentException("note text must end with a newline", nameof(text));
        if (text.Any(c => c < 0x20 && c != '\n'))
            throw new ArgumentException("note text must not contain control characters other than newline", nameof(text));
        return new SignedNote(text, []).AddSignatures(signers);
    }

    /// <summary>A copy with more signatures appended, as a witness adds its cosignature.</summary>
    public SignedNote AddSignatures(params INoteSigner[] signers)
    {
        var textBytes = Encoding.UTF8.GetBytes(Text);
        var added = signers.Select(s => new NoteSignature(s.Name, s.KeyId, s.Sign(textBytes)));
        return this with { Signatures = [.. Signatures, .. added] };
    }

    public override string ToString() => Text + "\n" + string.Concat(Signatures.Select(s => s.ToLine()));

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(ToString());

    private static Result<NoteSignature> ParseSignatureLine(string line, int number)
    {
        if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal))
            return Result<NoteSignature>.Fail(ErrorCodes.NoteMalformed, $"signature line {number} does not start with an em dash and a space");
        var rest = line[SignaturePrefix.Length..];
        var space = rest.LastIndexOf(' ');
        if (space <= 0)
            return Result<NoteSignature>.Fail(ErrorCodes.NoteMalformed, $"signature line {number} has no key name");
        var name = rest[..space];
        if (!NoteKeyId.IsValidName(name))
            return Result<NoteSignature>.Fail(ErrorCodes.NoteMalformed, $"signature line {number}: key name '{name}' contains spaces or '+'");
        if (!StrictBase64.TryDecode(rest[(space + 1)..], out var bytes))
            return Result<NoteSignature>.Fail(ErrorCodes.NoteMalformed, $"signature line {number} ('{name}'): signature is not valid base64");
        if (bytes.Length < 5)
            return Result<NoteSignature>.Fail(ErrorCodes.NoteMalformed, $"signature line {number} ('{name}'): signature is {bytes.Length} bytes, shorter than a key ID and a signature");
        return Result<NoteSignature>.Ok(new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(bytes), bytes[4..]));
    }

    private static Result<SignedNote> Malformed(string message) => Result<SignedNote>.Fail(ErrorCodes.NoteMalformed, message);
}

/// <summary>A note whose text was vouched for by at least one trusted key.</summary>
public sealed record VerifiedNote(
    string Text,
    IReadOnlyList<(INoteVerifier Key, NoteSignature Signature)> Verified,
    IReadOnlyList<NoteSignature> Unverified);
