namespace Rollproof.Testing;

/// <summary>Copies of folders, as an operator makes a backup and restores it.</summary>
public static class Folders
{
    public static void Copy(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>Puts <paramref name="backup"/> back in place of <paramref name="folder"/>, deleting what is there now.</summary>
    public static void Restore(string backup, string folder)
    {
        Directory.Delete(folder, recursive: true);
        Copy(backup, folder);
    }
}
