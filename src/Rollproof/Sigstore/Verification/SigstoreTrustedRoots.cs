namespace Rollproof.Sigstore.Verification;

/// <summary>
/// Sigstore's trusted roots as built into Rollproof, the JSON bytes of <c>trusted_root.json</c> (where they come from:
/// TrustedRoots/README.md). Used when no trusted root is given: verification needs no network.
/// </summary>
public static class SigstoreTrustedRoots
{
    private static readonly Lazy<byte[]> s_publicGood = new(() => Load("public-good"));
    private static readonly Lazy<byte[]> s_staging = new(() => Load("staging"));

    /// <summary>The public-good production instance (fulcio.sigstore.dev, rekor.sigstore.dev, ...).</summary>
    public static ReadOnlyMemory<byte> PublicGood => s_publicGood.Value;

    /// <summary>The staging instance (*.sigstage.dev).</summary>
    public static ReadOnlyMemory<byte> Staging => s_staging.Value;

    private static byte[] Load(string name)
    {
        var resource = $"Rollproof.Sigstore.TrustedRoots.{name}.trusted_root.json";
        using var stream = typeof(SigstoreTrustedRoots).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the built-in trusted root {resource} is missing from the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
