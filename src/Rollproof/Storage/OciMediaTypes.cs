namespace Rollproof.Storage;

/// <summary>The OCI media types Rollproof writes and reads (OCI Image Specification 1.1).</summary>
public static class OciMediaTypes
{
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string Empty = "application/vnd.oci.empty.v1+json";
    public const string DsseEnvelope = "application/vnd.dsse.envelope.v1+json";
    public const string Blob = "application/octet-stream";

    /// <summary>The annotation OCI tools (oras among them) use as a layer's file name.</summary>
    public const string TitleAnnotation = "org.opencontainers.image.title";

    /// <summary>The two bytes <c>{}</c>: the config of an artifact that has no config of its own.</summary>
    public static ReadOnlyMemory<byte> EmptyJson { get; } = "{}"u8.ToArray();

    public static OciDescriptor EmptyDescriptor { get; } = new(Empty, Sha256Digest.Of(EmptyJson.Span), EmptyJson.Length);
}
