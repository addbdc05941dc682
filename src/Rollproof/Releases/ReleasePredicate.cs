using System.Text.Json.Serialization;

namespace Rollproof.Releases;

/// <summary>
/// What a release statement asserts beyond its subjects (the artifacts by digest): the in-toto Release predicate's
/// purl, plus what a rollback decision needs to know about this version. Immutable: it is signed and logged. A
/// release published without an SBOM says so with <c>"sbom": null</c>, and a rollback analysis reports it.
/// <see cref="Images"/> is written only when the release has container images, so releases without them keep the
/// bytes (and digests) they always had; so do <see cref="CosignBundles"/>, written only when the release carries any.
/// <see cref="ProvenanceAttestation"/> is the SLSA Provenance v1 attestation kept in the artifact store (null when
/// none was given); releases logged before it existed have no such member, and still read and verify.
/// </summary>
public sealed record ReleasePredicate(
    string App,
    string Version,
    string Purl,
    string? ConfigDigest,
    ContentReference? Sbom,
    BuildProvenance Provenance,
    IReadOnlyList<Migration> Migrations,
    string? RollbackScriptDigest,
    SecuritySurface SecuritySurface,
    ContentReference? ProvenanceAttestation = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ContainerImage>? Images = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<CosignBundleBinding>? CosignBundles = null)
{
    /// <summary>Rollproof's release predicate, a superset of in-toto's https://in-toto.io/attestation/release/v0.1.</summary>
    public const string PredicateType = "https://rollproof.dev/attestation/release/v1";
}

/// <summary>
/// A container image the release ships, pinned by its manifest's (or index's) digest in <see cref="Repository"/>
/// (<c>HOST/NAME</c>). The statement also names it as a subject <see cref="Name"/> with that digest, and the store
/// keeps the manifest's bytes, so the image is checked offline as well as against the registry.
/// </summary>
public sealed record ContainerImage(string Name, string Repository, string Digest, string MediaType)
{
    /// <summary>What a runbook deploys: <c>HOST/NAME@sha256:HEX</c>.</summary>
    public string Reference => $"{Repository}@{Digest}";
}

/// <summary>A document kept in the artifact store, by digest and media type.</summary>
public sealed record ContentReference(string Digest, string MediaType);

/// <summary>
/// SLSA Provenance v1 essentials: who built it, from which source, with what, and any code generator involved;
/// repeated from the full attestation (<see cref="ReleasePredicate.ProvenanceAttestation"/>) for queries and display.
/// </summary>
public sealed record BuildProvenance(
    string BuilderId,
    string SourceRepository,
    string SourceCommit,
    IReadOnlyList<BuildInput> Inputs,
    CodeGenerator? Generator);

public sealed record BuildInput(string Name, string Digest);

/// <summary>An AI (or other) tool that generated code in this release, and how its output was validated.</summary>
public sealed record CodeGenerator(string Name, string ModelVersion, IReadOnlyList<string> ValidationSteps);

/// <summary>A schema migration the release brings; without a down script it cannot be reversed.</summary>
public sealed record Migration(string Id, string UpDigest, string? DownDigest)
{
    /// <summary>Derived from <see cref="DownDigest"/>, so never written: a signed copy cannot contradict it.</summary>
    [JsonIgnore]
    public bool Reversible => DownDigest is not null;
}

/// <summary>What the release exposes: the surface a rollback's security analysis compares.</summary>
public sealed record SecuritySurface(
    IReadOnlyList<string> Routes,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<CryptoChoice> Crypto);

public sealed record CryptoChoice(string Purpose, string Algorithm, int? KeySize);
