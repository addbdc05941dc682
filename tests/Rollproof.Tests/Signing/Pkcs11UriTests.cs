using Rollproof.Common;
using Rollproof.Signing.Pkcs11;

namespace Rollproof.Tests.Signing;

public sealed class Pkcs11UriTests
{
    [Fact]
    public void Path_and_query_attributes_are_percent_decoded()
    {
        var uri = Pkcs11Uri.Parse("pkcs11:token=My%20Token;object=release%3Bkey;id=%01%ff;type=private?module-path=/usr/lib/x.so&pin-source=file:/run/pin");
        Assert.True(uri.IsOk);
        Assert.Equal("My Token", uri.Value.Token);
        Assert.Equal("release;key", uri.Value.Label);
        Assert.Equal(new byte[] { 0x01, 0xff }, uri.Value.Id);
        Assert.Equal("/usr/lib/x.so", uri.Value.ModulePath);
        Assert.Equal("file:/run/pin", uri.Value.PinSource);
    }

    [Theory]
    [InlineData("pkcs11:token=t;object=k;slot-id=3", "'slot-id'")]
    [InlineData("pkcs11:token=t;object=k?pin-vaule=1234", "'pin-vaule'")]
    [InlineData("pkcs11:token=t;object=k;type=public", "type must be 'private'")]
    [InlineData("pkcs11:token=t", "object=LABEL")]
    [InlineData("pkcs11:token=t;object=k%4", "percent-encoding")]
    [InlineData("pkcs11:token=t;object=k;object=j", "given twice")]
    public void Malformed_uris_are_refused_naming_the_problem(string text, string named)
    {
        var uri = Pkcs11Uri.Parse(text);
        Assert.False(uri.IsOk);
        Assert.Equal(ErrorCodes.Pkcs11UriMalformed, uri.Problem!.Code);
        Assert.Contains(named, uri.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Neither_messages_nor_ToString_carry_the_pin()
    {
        var uri = Pkcs11Uri.Parse("pkcs11:token=t;object=k?pin-value=s3cret");
        Assert.DoesNotContain("s3cret", uri.Value.ToString(), StringComparison.Ordinal);
        var bad = Pkcs11Uri.Parse("pkcs11:token=t;object=k?pin-value=s3cret&oops=1");
        Assert.DoesNotContain("s3cret", bad.Problem!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pkcs11:token=t;object=k?module-path=/m.so&pin-value=s3cret", "pkcs11:token=t;object=k?module-path=/m.so")]
    [InlineData("pkcs11:token=t;object=k?pin-value=s3cret", "pkcs11:token=t;object=k")]
    [InlineData("keys/ci.pem", "keys/ci.pem")]
    public void A_shown_command_line_loses_only_the_pin_value(string given, string shown) =>
        Assert.Equal(shown, Pkcs11Uri.WithoutPinValue(given));
}
