using System.Formats.Asn1;
using System.Numerics;
using Rollproof.Signing.Pkcs11;

namespace Rollproof.Tests.Signing;

/// <summary>A token's ECDSA r||s written as DER: r or s with leading zero bytes (1 signature in 128) must encode too.</summary>
public sealed class Pkcs11SignatureEncodingTests
{
    [Theory]
    [InlineData("00", "7f")]
    [InlineData("0000", "01")]
    [InlineData("", "80")]
    [InlineData("", "11")]
    public void R_and_s_encode_as_the_integers_they_are(string zeros, string next)
    {
        var component = Convert.FromHexString(zeros + next + new string('5', 2 * (32 - zeros.Length / 2 - 1)));
        var raw = component.Concat(component.Reverse()).ToArray();

        var sequence = new AsnReader(Pkcs11PrivateKey.RawToDer(raw), AsnEncodingRules.DER).ReadSequence();
        Assert.Equal(new BigInteger(raw.AsSpan(0, 32), isUnsigned: true, isBigEndian: true), sequence.ReadInteger());
        Assert.Equal(new BigInteger(raw.AsSpan(32), isUnsigned: true, isBigEndian: true), sequence.ReadInteger());
    }
}
