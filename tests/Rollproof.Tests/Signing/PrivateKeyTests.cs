using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Testing;

namespace Rollproof.Tests.Signing;

/// <summary>Key files, checked against openssl as an independent reader and writer of PKCS#8.</summary>
public class PrivateKeyTests
{
    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256, "NIST CURVE: P-256")]
    [InlineData(KeyAlgorithm.Ed25519, "ED25519 PRIVATE-KEY")]
    public void Openssl_decrypts_our_encrypted_keys_to_the_same_public_key(KeyAlgorithm algorithm, string opensslType)
    {
        using var dir = new TempDirectory();
        using var key = PrivateKey.Generate(algorithm);
        File.WriteAllText(dir.Combine("key.pem"), key.ToEncryptedPem("correct horse"));

        var pub = ExternalProcess.Run("openssl", ["pkey", "-in", dir.Combine("key.pem"), "-passin", "pass:correct horse", "-pubout"]);
        var text = ExternalProcess.Run("openssl", ["pkey", "-in", dir.Combine("key.pem"), "-passin", "pass:correct horse", "-noout", "-text"]);

        Assert.Equal(0, pub.ExitCode);
        Assert.Equal(key.PublicKey.ToPem().Trim(), pub.Out.Trim());
        Assert.Contains(opensslType, text.Out.ToUpperInvariant(), StringComparison.Ordinal);
        Assert.Equal(key.KeyId, PrivateKey.FromPem(File.ReadAllText(dir.Combine("key.pem")), "correct horse").Value.KeyId);
    }

    [Theory]
    [InlineData("ED25519")]
    [InlineData("EC")]
    public void We_read_keys_openssl_encrypted_and_sign_what_openssl_verifies(string type)
    {
        using var dir = new TempDirectory();
        var args = type == "EC" ? new[] { "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256" } : ["genpkey", "-algorithm", "ED25519"];
        Assert.Equal(0, ExternalProcess.Run("openssl", [.. args, "-aes-256-cbc", "-pass", "pass:s3cret", "-out", dir.Combine("key.pem")]).ExitCode);
        using var key = PrivateKey.FromPem(File.ReadAllText(dir.Combine("key.pem")), "s3cret").Value;
        File.WriteAllText(dir.Combine("pub.pem"), key.PublicKey.ToPem());
        File.WriteAllText(dir.Combine("data"), "release statement");
        File.WriteAllBytes(dir.Combine("sig"), key.Sign("release statement"u8));

        var verify = type == "EC"
            ? ExternalProcess.Run("openssl", ["dgst", "-sha256", "-verify", dir.Combine("pub.pem"), "-signature", dir.Combine("sig"), dir.Combine("data")])
            : ExternalProcess.Run("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", dir.Combine("pub.pem"), "-rawin", "-in", dir.Combine("data"), "-sigfile", dir.Combine("sig")]);

        Assert.True(verify.ExitCode == 0, verify.Out + verify.Error);
    }

    [Fact]
    public void A_wrong_or_missing_passphrase_is_a_clear_error()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var pem = key.ToEncryptedPem("right");
        Assert.Equal(ErrorCodes.KeyPassphraseWrong, PrivateKey.FromPem(pem, "wrong").Problem?.Code);
        Assert.Contains("give its passphrase", PrivateKey.FromPem(pem, "").Problem?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nothing here", "no PEM block")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "not a private key")]
    public void Files_that_are_not_keys_are_rejected(string pem, string detail)
    {
        var result = PrivateKey.FromPem(pem, "");
        Assert.Equal(ErrorCodes.KeyFileMalformed, result.Problem?.Code);
        Assert.Contains(detail, result.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_curves_are_refused()
    {
        using var p384 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        Assert.Contains("P-256", PrivateKey.FromPem(p384.ExportPkcs8PrivateKeyPem(), "").Problem?.Message, StringComparison.Ordinal);
        Assert.False(PublicKey.FromPem(p384.ExportSubjectPublicKeyInfoPem()).IsOk);
    }

    [Fact]
    public void Key_ids_are_the_sha256_of_the_public_key_and_survive_a_round_trip()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.Ed25519);
        var reread = PublicKey.FromPem(key.PublicKey.ToPem()).Value;
        Assert.Equal(key.KeyId, reread.KeyId);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(reread.SubjectPublicKeyInfo)), reread.KeyId);
        Assert.Equal(key.KeyId, PrivateKey.FromPem(key.ToUnencryptedPem(), "").Value.KeyId);
    }
}
