using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Rollproof.Testing;

namespace Rollproof.Server.Tests;

/// <summary>A self-signed P-256 certificate for 127.0.0.1 made by openssl, as an operator would make one, and clients that trust it alone.</summary>
public sealed class TestCertificate
{
    private TestCertificate(string certificate, string key)
    {
        CertificateFile = certificate;
        KeyFile = key;
    }

    public string CertificateFile { get; }

    public string KeyFile { get; }

    /// <summary>Makes <c>NAME.crt</c> and <c>NAME.key</c> (PEM) in <paramref name="dir"/>, valid for a day from now.</summary>
    public static TestCertificate Make(string dir, string name)
    {
        var certificate = Path.Combine(dir, name + ".crt");
        var key = Path.Combine(dir, name + ".key");
        Openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
            "-subj", "/CN=rollproof test", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", key, "-out", certificate);
        return new TestCertificate(certificate, key);
    }

    /// <summary>The certificate and its key in one PKCS#12 file, protected by <paramref name="password"/> (empty: none).</summary>
    public string ExportPfx(string file, string password = "")
    {
        Openssl("pkcs12", "-export", "-in", CertificateFile, "-inkey", KeyFile, "-out", file, "-passout", "pass:" + password);
        return file;
    }

    /// <summary>A client that accepts this certificate, for the name it was issued to, and no other.</summary>
    public HttpClient TrustingClient(Uri baseAddress)
    {
        var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(CertificateFile));
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, errors) =>
        {
            if (presented is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(trusted);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
            return chain.Build(leaf);
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(1) };
    }

    private static void Openssl(params string[] arguments)
    {
        var outcome = ExternalProcess.Run("openssl", arguments, timeout: TimeSpan.FromMinutes(1));
        if (outcome.ExitCode != 0)
            throw new InvalidOperationException($"openssl {arguments[0]} failed: {outcome.Error}");
    }
}
