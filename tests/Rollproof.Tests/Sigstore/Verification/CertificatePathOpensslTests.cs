using System.Security.Cryptography.X509Certificates;
using Rollproof.Sigstore.Verification;
using Rollproof.Testing;

namespace Rollproof.Tests.Sigstore.Verification;

/// <summary>
/// Certificate paths that openssl made, an independent writer of X.509: an Ed25519 authority (which .NET cannot
/// create) and an ECDSA one, each issuing a leaf; a leaf from another key under the same name is refused.
/// </summary>
public sealed class CertificatePathOpensslTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("ED25519")]
    [InlineData("EC")]
    public void A_leaf_openssl_issued_chains_to_its_authority_and_not_to_another_key_of_the_same_name(string algorithm)
    {
        var authority = Authority(algorithm, "ca");
        var impostor = Authority(algorithm, "impostor");
        var leaf = Leaf("ca");
        var forged = Leaf("impostor");
        var now = DateTimeOffset.UtcNow;

        Assert.True(Certificates.ChainsTo(leaf, authority, now, out var issuer));
        Assert.Equal(authority.Root.RawData, issuer!.RawData);
        Assert.True(Certificates.ChainsTo(forged, impostor, now, out _));
        Assert.False(Certificates.ChainsTo(forged, authority, now, out _));
    }

    // A self-signed authority named CN=openssl root, its key in NAME.key.
    private CertificateAuthority Authority(string algorithm, string name)
    {
        string[] key = algorithm == "EC" ? ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"] : ["-algorithm", algorithm];
        Openssl(["genpkey", .. key, "-out", _dir.Combine(name + ".key")]);
        Openssl(["req", "-x509", "-new", "-key", _dir.Combine(name + ".key"), "-subj", "/CN=openssl root", "-days", "30",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign", "-out", _dir.Combine(name + ".pem")]);
        var root = X509CertificateLoader.LoadCertificate(X509Certificate2.CreateFromPem(File.ReadAllText(_dir.Combine(name + ".pem"))).RawData);
        return new CertificateAuthority("https://openssl.test", [root], new ValidityPeriod(DateTimeOffset.UtcNow.AddDays(-1), null));
    }

    // A P-256 code-signing leaf issued with the key and certificate of the authority NAME.
    private X509Certificate2 Leaf(string issuer)
    {
        var leaf = _dir.Combine(issuer + "-leaf");
        Openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", leaf + ".key", "-subj", "/CN=leaf", "-out", leaf + ".csr"]);
        File.WriteAllText(leaf + ".ext", "extendedKeyUsage=codeSigning\n");
        Openssl(["x509", "-req", "-in", leaf + ".csr", "-CA", _dir.Combine(issuer + ".pem"), "-CAkey", _dir.Combine(issuer + ".key"), "-set_serial", "7",
            "-days", "1", "-extfile", leaf + ".ext", "-out", leaf + ".pem"]);
        return X509CertificateLoader.LoadCertificate(X509Certificate2.CreateFromPem(File.ReadAllText(leaf + ".pem")).RawData);
    }

    private static void Openssl(string[] arguments)
    {
        var run = ExternalProcess.Run("openssl", arguments);
        Assert.True(run.ExitCode == 0, $"openssl {string.Join(' ', arguments)}: {run.Error}");
    }
}
