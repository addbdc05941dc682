using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Signing;
using Rollproof.Testing;

namespace Rollproof.Tests.Signing;

/// <summary>openssl stands in for a KMS or HSM tool: it holds the key, Rollproof only sees signatures.</summary>
public sealed class ExternalCommandSignerTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Openssl_signs_an_envelope_for_an_ecdsa_key()
    {
        var (keyFile, publicKey) = KeyFile(KeyAlgorithm.EcdsaP256);
        var signer = new ExternalCommandSigner("openssl", ["dgst", "-sha256", "-sign", keyFile], publicKey, SignatureEncoding.Raw, Timeout);

        var envelope = DsseEnvelope.Sign("application/vnd.in-toto+json", "{}"u8.ToArray(), signer);

        Assert.True(envelope.Verify([publicKey]).IsOk);
    }

    [Fact]
    public void Openssl_signs_for_an_ed25519_key_and_base64_output_is_decoded()
    {
        var (keyFile, publicKey) = KeyFile(KeyAlgorithm.Ed25519);
        // OpenSSL 3.0's one-shot Ed25519 signing cannot read a pipe: the wrapper buffers stdin to a file first.
        var script = $"f=$(mktemp); cat > \"$f\"; openssl pkeyutl -sign -inkey '{keyFile}' -rawin -in \"$f\" | base64 -w0; rm -f \"$f\"";
        var signer = new ExternalCommandSigner("bash", ["-c", script], publicKey, SignatureEncoding.Base64, Timeout);
        Assert.True(publicKey.Verify("data"u8, signer.Sign("data"u8)));
    }

    [Fact]
    public void A_signer_using_another_key_is_caught_before_its_signature_is_used()
    {
        var (keyFile, _) = KeyFile(KeyAlgorithm.EcdsaP256);
        using var expected = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var signer = new ExternalCommandSigner("openssl", ["dgst", "-sha256", "-sign", keyFile], expected.PublicKey, SignatureEncoding.Raw, Timeout);
        var error = Assert.Throws<ProblemException>(() => signer.Sign("data"u8));
        Assert.Equal(ErrorCodes.ExternalSignerFailed, error.Problem.Code);
        Assert.Contains("does not verify with key", error.Problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo 'kms: permission denied' >&2; exit 3", "exited with code 3: kms: permission denied")]
    [InlineData("true", "printed 0 bytes")]
    [InlineData("cat >/dev/null; echo not-base64!", "did not print valid base64")]
    public void Failing_signers_give_a_clear_error(string script, string detail)
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var signer = new ExternalCommandSigner("bash", ["-c", script], key.PublicKey, SignatureEncoding.Base64, Timeout);
        var error = Assert.Throws<ProblemException>(() => signer.Sign("data"u8));
        Assert.Contains(detail, error.Problem.Message, StringComparison.Ordinal);
    }

    private (string File, PublicKey Public) KeyFile(KeyAlgorithm algorithm)
    {
        using var key = PrivateKey.Generate(algorithm);
        var path = _dir.Combine($"{algorithm}.pem");
        File.WriteAllText(path, key.ToUnencryptedPem());
        return (path, PublicKey.FromPem(key.PublicKey.ToPem()).Value);
    }
}
