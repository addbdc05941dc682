namespace Rollproof.Testing;

/// <summary>Finds <c>../shared</c> (specifications and public test vectors) beside the checkout.</summary>
public static class SharedFiles
{
    private static readonly Lazy<string> Root = new(Locate);

    public static string TestVectors => Path.Combine(Root.Value, "testvectors");

    public static string Vector(params string[] parts) => Path.Combine([TestVectors, .. parts]);

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("ROLLPROOF_SHARED");
        if (!string.IsNullOrEmpty(configured))
            return configured;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rollproof.slnx")))
            {
                var shared = Path.Combine(dir.Parent!.FullName, "shared");
                if (Directory.Exists(shared))
                    return shared;
                throw new DirectoryNotFoundException($"expected the shared test vectors at {shared} (set ROLLPROOF_SHARED to override)");
            }
        }
        throw new DirectoryNotFoundException("could not find the repository root (Rollproof.slnx) above " + AppContext.BaseDirectory);
    }
}
