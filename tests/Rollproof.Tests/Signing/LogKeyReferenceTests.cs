using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Tests.Signing;

public sealed class LogKeyReferenceTests
{
    [Fact]
    public void A_path_is_a_key_file_kept_as_its_full_path()
    {
        var key = LogKeyReference.Parse("keys/log.key");
        Assert.True(key.IsOk);
        Assert.Null(key.Value.Uri);
        Assert.Equal(Path.GetFullPath("keys/log.key"), key.Value.Text);
        Assert.Null(key.Value.CheckStorable("here"));
    }

    [Fact]
    public void A_pkcs11_uri_names_a_token_key_and_is_kept_as_given()
    {
        const string text = "pkcs11:token=t;object=log?module-path=/m.so&pin-source=file:/run/pin";
        var key = LogKeyReference.Parse(text);
        Assert.True(key.IsOk);
        Assert.Equal("log", key.Value.Uri!.Label);
        Assert.Equal(text, key.Value.Text);
        Assert.Null(key.Value.CheckStorable("here"));
    }

    [Fact]
    public void A_uri_with_a_pin_value_is_never_storable_and_never_shows_the_pin()
    {
        var key = LogKeyReference.Parse("pkcs11:token=t;object=log?module-path=/m.so&pin-value=4711").Value;
        var problem = key.CheckStorable(".rollproof/log.json");
        Assert.Equal(ErrorCodes.Pkcs11PinInStoreConfig, problem?.Code);
        Assert.Contains(".rollproof/log.json", problem!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("4711", problem.Message + key, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", ErrorCodes.InputMalformed)]
    [InlineData("  ", ErrorCodes.InputMalformed)]
    [InlineData("pkcs11:token=t;slot-id=1", ErrorCodes.Pkcs11UriMalformed)]
    public void Unusable_references_are_refused(string text, string code)
    {
        var key = LogKeyReference.Parse(text);
        Assert.False(key.IsOk);
        Assert.Equal(code, key.Problem.Code);
    }
}
