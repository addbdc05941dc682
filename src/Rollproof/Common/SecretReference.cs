using System.Text;
using System.Text.RegularExpressions;

namespace Rollproof.Common;

/// <summary>
/// A secret named by where it is kept, never by its value: <c>env:NAME</c> (an environment variable of the process
/// that runs the step) or <c>file:/absolute/path</c> (a file of at most 64 KiB, its trailing newline dropped). Runbooks,
/// journals and evidence hold the reference; the value is read only at the moment of use and written nowhere.
/// </summary>
public sealed partial record SecretReference
{
    public const string Rule = "a secret is given as env:NAME (an environment variable) or file:/absolute/path, never as its value";
    private const int MaxFile = 64 << 10;

    private SecretReference(string text) => Text = text;

    /// <summary>The reference as written (<c>env:NAME</c> or <c>file:PATH</c>): safe to store and show.</summary>
    public string Text { get; }

    public static bool Looks(string text) => text.StartsWith("env:", StringComparison.Ordinal) || text.StartsWith("file:", StringComparison.Ordinal);

    /// <summary>The reference in <paramref name="text"/>, or a problem naming <paramref name="field"/> (and never the text, which may be the secret itself).</summary>
    public static Result<SecretReference> Parse(string text, string field)
    {
        if (text.StartsWith("env:", StringComparison.Ordinal) && EnvironmentName().IsMatch(text[4..]))
            return Result<SecretReference>.Ok(new SecretReference(text));
        if (text.StartsWith("file:", StringComparison.Ordinal) && Path.IsPathFullyQualified(text[5..]))
            return Result<SecretReference>.Ok(new SecretReference(text));
        return Result<SecretReference>.Fail(ErrorCodes.SecretInline, $"{field}: {Rule}");
    }

    /// <summary>The secret's value, read now; a problem naming the reference when it is unset, empty, missing or too large.</summary>
    public Result<string> Resolve()
    {
        if (Text.StartsWith("env:", StringComparison.Ordinal))
            return Environment.GetEnvironmentVariable(Text[4..]) is { Length: > 0 } variable
                ? Result<string>.Ok(variable)
                : Result<string>.Fail(ErrorCodes.SecretUnavailable, $"secret {Text}: the environment variable is not set");
        var read = InputFile.Read(Text[5..], MaxFile, $"secret {Text}");
        if (!read.IsOk)
            return Result<string>.Fail(ErrorCodes.SecretUnavailable, read.Problem.Message);
        var value = Encoding.UTF8.GetString(read.Value).TrimEnd('\r', '\n');
        return value.Length > 0 ? Result<string>.Ok(value) : Result<string>.Fail(ErrorCodes.SecretUnavailable, $"secret {Text}: the file is empty");
    }

    public override string ToString() => Text;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentName();
}
