using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Tests.Signing;

public class NoteKeysTests
{
    [Theory]
    [InlineData("example.com/foo+530d903a", ErrorCodes.VerifierKeyMalformed, "3 parts")]
    [InlineData("example.com/foo+530D903A+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", ErrorCodes.VerifierKeyMalformed, "lowercase hex")]
    [InlineData("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", ErrorCodes.VerifierKeyMalformed, "does not match")]
    [InlineData("example.com/foo+530d903a+%%%", ErrorCodes.VerifierKeyMalformed, "base64")]
    [InlineData("example.com/foo+530d903a+AQ==", ErrorCodes.VerifierKeyMalformed, "too short")]
    [InlineData("example.com/foo+530d903a+AQID", ErrorCodes.VerifierKeyMalformed, "malformed (2 bytes)")]
    [InlineData("example.com/foo+530d903a+CQID", ErrorCodes.UnsupportedKeyType, "0x09")]
    [InlineData("+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", ErrorCodes.VerifierKeyMalformed, "non-empty")]
    public void Malformed_verifier_keys_are_rejected(string vkey, string code, string detail)
    {
        var result = NoteKeys.ParseVerifierKey(vkey);
        Assert.Equal(code, result.Problem?.Code);
        Assert.Contains(detail, result.Problem!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PRIVATE+KEY+name+00000000", "3 parts")]
    [InlineData("KEY+name+00000000+AQ==", "PRIVATE+KEY+")]
    [InlineData("PRIVATE+KEY+name+00000000+AQID", "32 bytes")]
    public void Malformed_signer_keys_are_rejected(string skey, string detail)
    {
        var result = NoteKeys.ParseSignerKey(skey);
        Assert.Contains(detail, result.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_keys_round_trip_through_their_strings()
    {
        var signer = NoteKeys.GenerateEd25519("log.example/a");
        var parsed = (Ed25519NoteSigner)NoteKeys.ParseSignerKey(signer.SignerKey).Value;
        Assert.Equal(signer.VerifierKey, parsed.VerifierKey);
        Assert.StartsWith("log.example/a+" + NoteKeyId.Format(signer.KeyId) + "+A", signer.VerifierKey, StringComparison.Ordinal);
    }

    [Fact]
    public void Ed25519_and_ecdsa_pem_keys_load_as_note_signers()
    {
        using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var ecdsaSigner = NoteSignerFile.Parse(ecdsa.ExportPkcs8PrivateKeyPem(), "log.example").Value;
        Assert.IsType<EcdsaNoteSigner>(ecdsaSigner);

        // RFC 8410 test key: an Ed25519 PKCS#8 document with a known public key.
        const string pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----";
        var ed = (Ed25519NoteSigner)NoteSignerFile.Parse(pem, "log.example").Value;
        Assert.Equal("19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1", Convert.ToHexStringLower(ed.PublicKey));
    }
}
