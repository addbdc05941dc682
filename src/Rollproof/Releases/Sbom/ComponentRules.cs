using System.Text.Json;

namespace Rollproof.Releases.Sbom;

/// <summary>CycloneDX's component, with the parts of it that carry rules: identity, scope, hashes, licenses, SWID, pedigree.</summary>
internal static class ComponentRules
{
    private static readonly JsonRule Swid = Shape.Object(
        Shape.Required("tagId", Shape.String),
        Shape.Required("name", Shape.String),
        Shape.Optional("version", Shape.String),
        Shape.Optional("tagVersion", Shape.Integer),
        Shape.Optional("patch", Shape.Boolean),
        Shape.Optional("text", AttachmentRules.Check),
        Shape.Optional("url", Shape.String));

    private static readonly JsonRule Component = Shape.Object(
        Shape.Required("type", Shape.OneOf(
            "application", "framework", "library", "container", "platform", "operating-system", "device", "device-driver",
            "firmware", "file", "machine-learning-model", "data", "cryptographic-asset")),
        Shape.Required("name", Shape.String),
        Shape.Optional("version", Shape.String),
        Shape.Optional("scope", Shape.OneOf("required", "optional", "excluded")),
        Shape.Optional("hashes", Shape.ArrayOf(HashRules.Check)),
        Shape.Optional("licenses", LicenseRules.Check),
        Shape.Optional("swid", Swid),
        Shape.Optional("pedigree", PedigreeRules.Check),
        Shape.Optional("releaseNotes", ReleaseNoteRules.Check),
        Shape.Optional("properties", PropertyRules.Check),
        Shape.Optional("components", Shape.ArrayOf(Check)));

    public static string? Check(JsonElement component, string path) => Component(component, path);
}
