using System.Runtime.InteropServices;

namespace Rollproof.Testing;

/// <summary>
/// A real SoftHSM2 token ('t', user PIN 1234) in a private directory, holding EC P-256 key pairs labelled 'rp' and
/// 'log-ec' and Ed25519 key pairs labelled 'log' and 'other', made with SoftHSM's and OpenSC's own tools so the public keys
/// are read independently of Rollproof's code. SOFTHSM2_CONF is set for this process before the module is first
/// loaded, which is when SoftHSM reads it: so one token serves every test class of a test process (a collection fixture).
/// </summary>
public sealed class SoftHsmToken : IDisposable
{
    public const string Module = "/usr/lib/softhsm/libsofthsm2.so";
    public const string Pin = "1234";
    private readonly TempDirectory _dir = new();

    public SoftHsmToken()
    {
        Directory.CreateDirectory(_dir.Combine("tokens"));
        File.WriteAllText(_dir.Combine("softhsm2.conf"), $"directories.tokendir = {_dir.Combine("tokens")}\nobjectstore.backend = file\n");
        // SoftHSM reads getenv natively; on Unix, .NET's SetEnvironmentVariable changes only the managed copy.
        if (setenv("SOFTHSM2_CONF", _dir.Combine("softhsm2.conf"), 1) != 0)
            throw new InvalidOperationException("setenv SOFTHSM2_CONF failed");
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", _dir.Combine("softhsm2.conf"));
        Tool("softhsm2-util", "--init-token", "--free", "--label", "t", "--pin", Pin, "--so-pin", "5678");
        Tool("pkcs11-tool", "--module", Module, "--token-label", "t", "--login", "--pin", Pin, "--keypairgen", "--key-type", "EC:prime256v1", "--label", "rp", "--id", "01");
        Tool("pkcs11-tool", "--module", Module, "--token-label", "t", "--read-object", "--type", "pubkey", "--label", "rp", "--output-file", _dir.Combine("rp.der"));
        Tool("pkcs11-tool", "--module", Module, "--token-label", "t", "--login", "--pin", Pin, "--keypairgen", "--key-type", "EC:edwards25519", "--label", "log", "--id", "02");
        Tool("pkcs11-tool", "--module", Module, "--token-label", "t", "--login", "--pin", Pin, "--keypairgen", "--key-type", "EC:edwards25519", "--label", "other", "--id", "03");
        Tool("pkcs11-tool", "--module", Module, "--token-label", "t", "--login", "--pin", Pin, "--keypairgen", "--key-type", "EC:prime256v1", "--label", "log-ec", "--id", "04");
        File.WriteAllText(PinFile, Pin + "\n");
        var spki = File.ReadAllBytes(_dir.Combine("rp.der"));
        PublicKeyPem = System.Security.Cryptography.PemEncoding.WriteString("PUBLIC KEY", spki);
        KeyId = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(spki));
    }

    /// <summary>The key pair's public half as pkcs11-tool exports it (SubjectPublicKeyInfo, PEM).</summary>
    public string PublicKeyPem { get; }

    /// <summary>The key ID trust files give that public key: hex SHA-256 of its SubjectPublicKeyInfo.</summary>
    public string KeyId { get; }

    /// <summary>A file holding the PIN, for URIs a store keeps (pin-source=file:).</summary>
    public string PinFile => _dir.Combine("pin");

    public static string Uri(string token = "t", string label = "rp", string pin = Pin) =>
        $"pkcs11:token={token};object={label}?module-path={Module}&pin-value={pin}";

    /// <summary>A URI taking its PIN from <paramref name="pinFile"/>, as a store's configuration may keep it.</summary>
    public static string UriWithPinFile(string label, string pinFile) =>
        $"pkcs11:token=t;object={label}?module-path={Module}&pin-source=file:{pinFile}";

    public void Dispose() => _dir.Dispose();

    [DllImport("libc")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    private static void Tool(string name, params string[] arguments)
    {
        var result = ExternalProcess.Run(name, arguments, timeout: TimeSpan.FromMinutes(1));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{name} failed ({result.ExitCode}): {result.Error}");
    }
}
