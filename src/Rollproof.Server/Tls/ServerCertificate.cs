using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Rollproof.Common;

namespace Rollproof.Server.Tls;

/// <summary>
/// The certificate <c>serve --tls-cert</c> presents: a PEM certificate with its PEM key (<c>--tls-key</c>), or a
/// PKCS#12 (PFX) file holding both, its password (if any) in <see cref="PfxPasswordVariable"/> so it never sits in a
/// command line. Loaded and checked before anything else starts, so a bad one serves nothing.
/// </summary>
public static class ServerCertificate
{
    public const string PfxPasswordVariable = "ROLLPROOF_TLS_PFX_PASSWORD";

    public static Result<X509Certificate2> Load(string certificateFile, string? keyFile, TimeProvider clock)
    {
        var loaded = keyFile is null ? LoadPfx(certificateFile) : LoadPem(certificateFile, keyFile);
        if (!loaded.IsOk)
            return loaded;
        var certificate = loaded.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            var window = $"{certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u}";
            certificate.Dispose();
            return Fail(certificateFile, $"the certificate is valid only from {window}; clients would refuse it");
        }
        return Result<X509Certificate2>.Ok(certificate);
    }

    private static Result<X509Certificate2> LoadPem(string certificateFile, string keyFile)
    {
        foreach (var file in (string[])[certificateFile, keyFile])
        {
            if (!File.Exists(file))
                return Fail(file, "no such file");
        }
        try
        {
            // Throws ArgumentException when the key is not the certificate's (its public half differs from the certificate's).
            return Result<X509Certificate2>.Ok(X509Certificate2.CreateFromPemFile(certificateFile, keyFile));
        }
        catch (ArgumentException e)
        {
            return Fail($"{certificateFile} with key {keyFile}", $"the key is not this certificate's ({e.Message})");
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return Fail($"{certificateFile} with key {keyFile}", $"not a readable PEM certificate and its matching PEM private key ({e.Message})");
        }
    }

    private static Result<X509Certificate2> LoadPfx(string file)
    {
        if (!File.Exists(file))
            return Fail(file, "no such file");
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(file, Environment.GetEnvironmentVariable(PfxPasswordVariable));
            if (certificate.HasPrivateKey)
                return Result<X509Certificate2>.Ok(certificate);
            certificate.Dispose();
            return Fail(file, "the PKCS#12 file holds no private key for its certificate");
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return Fail(file, $"not a readable PKCS#12 (PFX) file that opens with ${PfxPasswordVariable} ({e.Message}); for a PEM certificate give its key with --tls-key");
        }
    }

    private static Result<X509Certificate2> Fail(string what, string why) =>
        Result<X509Certificate2>.Fail(ErrorCodes.TlsCertificateUnusable, $"--tls-cert {what}: {why}; nothing was served");
}
