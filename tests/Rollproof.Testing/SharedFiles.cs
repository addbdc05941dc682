namespace Rollproof.Testing;

/// <summary>Finds the checkout and <c>../shared</c> (specifications and public test vectors) beside it.</summary>
public static class SharedFiles
{
    private static readonly Lazy<string> Root = new(Locate);
    private static readonly Lazy<string> Repository = new(LocateRepository);

    /// <summary>The checkout's root: the folder holding Rollproof.slnx.</summary>
    public static string RepositoryRoot => Repository.Value;

    public static string TestVectors => Path.Combine(Root.Value, "testvectors");

    public static string Vector(params string[] parts) => Path.Combine([TestVectors, .. parts]);

    /// <summary>A file of the shared specifications (../shared/specs).</summary>
    public static string Spec(params string[] parts) => Path.Combine([Root.Value, "specs", .. parts]);

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("ROLLPROOF_SHARED");
        if (!string.IsNullOrEmpty(configured))
            return configured;
        var shared = Path.Combine(Path.GetDirectoryName(RepositoryRoot)!, "shared");
        return Directory.Exists(shared)
            ? shared
            : throw new DirectoryNotFoundException($"expected the shared test vectors at {shared} (set ROLLPROOF_SHARED to override)");
    }

    private static string LocateRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rollproof.slnx")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("could not find the repository root (Rollproof.slnx) above " + AppContext.BaseDirectory);
    }
}
