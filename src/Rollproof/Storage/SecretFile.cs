namespace Rollproof.Storage;

/// <summary>Writes a secret (a private key) to a new file only its owner can read; never overwrites.</summary>
public static class SecretFile
{
    public static void WriteNew(string path, string secret)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        using var file = new StreamWriter(path, options);
        file.WriteLine(secret);
    }
}
