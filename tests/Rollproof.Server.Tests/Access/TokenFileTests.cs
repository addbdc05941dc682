using System.Buffers.Text;
using System.Text;
using Rollproof.Common;
using Rollproof.Server.Access;

namespace Rollproof.Server.Tests.Access;

/// <summary>The token file holds hashes only, reads strictly (naming the line at fault), and revokes exactly what it is told.</summary>
public sealed class TokenFileTests
{
    [Fact]
    public void A_minted_token_has_256_random_bits_and_only_its_hash_is_kept()
    {
        var (file, token) = TokenFile.Empty.Add("ci", auditor: false).Value;
        Assert.StartsWith(ApiToken.Prefix, token);
        Assert.Equal(32, Base64Url.DecodeFromChars(token.AsSpan(ApiToken.Prefix.Length)).Length);
        using var dir = new Rollproof.Testing.TempDirectory();
        file.Write(dir.Combine("tokens"));
        var text = File.ReadAllText(dir.Combine("tokens"));
        Assert.DoesNotContain(token[ApiToken.Prefix.Length..], text);
        Assert.Contains("ci sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(token))), text);
        Assert.Equal("ci", TokenFile.Read(dir.Combine("tokens")).Value.Find(token)!.Name);
    }

    [Fact]
    public void Two_tokens_are_never_the_same() =>
        Assert.NotEqual(ApiToken.New(), ApiToken.New());

    [Fact]
    public void A_token_is_found_only_by_itself()
    {
        var (file, token) = TokenFile.Empty.Add("ci", auditor: false).Value;
        Assert.NotNull(file.Find(token));
        Assert.Null(file.Find(token[..^1]));
        Assert.Null(file.Find(token + "x"));
        Assert.Null(file.Find(file.Entries[0].HashText));
    }

    [Theory]
    [InlineData("ci", 1, "expected 'NAME sha256:HEX'")]
    [InlineData("ci sha256:abc", 1, "64 lowercase hex")]
    [InlineData("# comment\nci sha256:" + Hex64 + " admin", 2, "'admin' is not a role")]
    [InlineData(".ci sha256:" + Hex64, 1, "name '.ci'")]
    [InlineData("ci rpt_notahash", 1, "never holds a token itself")]
    [InlineData("ci sha256:" + Hex64 + "\nop sha256:" + Hex64, 2, "listed already")]
    public void A_malformed_line_is_refused_naming_the_line(string text, int line, string why)
    {
        var parsed = TokenFile.Parse(Encoding.UTF8.GetBytes(text), "tokens");
        Assert.False(parsed.IsOk);
        Assert.Equal(ErrorCodes.TokenFileMalformed, parsed.Problem.Code);
        Assert.Contains($"line {line}:", parsed.Problem.Message);
        Assert.Contains(why, parsed.Problem.Message);
    }

    [Fact]
    public void Revoking_by_hash_prefix_removes_that_token_alone_and_an_ambiguous_prefix_nothing()
    {
        var file = TokenFile.Empty;
        for (var i = 0; i < 3; i++)
            file = file.Add("ci", auditor: false).Value.File;
        var one = file.Revoke(file.Entries[1].HashText[..19]).Value;
        Assert.Equal([file.Entries[0], file.Entries[2]], one.File.Entries);
        Assert.False(file.Revoke("sha256:").IsOk);
        Assert.False(file.Revoke("sha256:" + file.Entries[0].HashText[7..10]).IsOk);
        Assert.Empty(file.Revoke("ci").Value.File.Entries);
        Assert.False(file.Revoke("nobody").IsOk);
    }

    private const string Hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
}
