using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;

namespace Rollproof.Cli.Infrastructure;

/// <summary>
/// A directory of named keys: <c>NAME.key</c> (PKCS#8 PEM, mode 0600, encrypted unless asked otherwise) and
/// <c>NAME.pub</c> (SPKI PEM). The folder is --keyring, else $ROLLPROOF_KEYS, else rollproof.yaml's keyring, else ~/.config/rollproof/keys.
/// </summary>
internal sealed class Keyring(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Where keys are kept when neither --keyring, $ROLLPROOF_KEYS nor rollproof.yaml says (see <see cref="ConfiguredDefaults"/>).</summary>
    public static string DefaultDirectory => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "rollproof", "keys");

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && name[0] != '.';

    public string PrivatePath(string name) => Path.Combine(Directory, name + ".key");

    public string PublicPath(string name) => Path.Combine(Directory, name + ".pub");

    public Problem? CheckNew(string name)
    {
        if (!IsValidName(name))
            return new Problem(ErrorCodes.InputMalformed, $"key name '{name}' must be 1–64 letters, digits, '-', '_' or '.', not starting with '.'");
        return File.Exists(PrivatePath(name)) || File.Exists(PublicPath(name))
            ? new Problem(ErrorCodes.InputMalformed, $"a key named '{name}' already exists in {Directory}")
            : null;
    }

    public void Store(string name, PrivateKey key, string? passphrase)
    {
        System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        SecretFile.WriteNew(PrivatePath(name), passphrase is null ? key.ToUnencryptedPem() : key.ToEncryptedPem(passphrase));
        File.WriteAllText(PublicPath(name), key.PublicKey.ToPem() + "\n");
    }

    public Result<PublicKey> Public(string name)
    {
        var path = PublicPath(name);
        if (!IsValidName(name) || !File.Exists(path))
            return Result<PublicKey>.Fail(ErrorCodes.InputMissing, $"no key named '{name}' in {Directory}");
        return PublicKeyFile.Read(path);
    }

    public IEnumerable<string> Names() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory, "*.pub").Select(f => Path.GetFileNameWithoutExtension(f)!).Where(IsValidName).Order(StringComparer.Ordinal)
            : [];

    public bool IsEncrypted(string name) =>
        File.Exists(PrivatePath(name)) && File.ReadLines(PrivatePath(name)).FirstOrDefault()?.Contains("ENCRYPTED", StringComparison.Ordinal) == true;
}
