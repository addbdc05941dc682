using System.Text.Json;

namespace Rollproof.Releases.Sbom;

/// <summary>CycloneDX's service: a named endpoint set, and which way each classification of its data flows.</summary>
internal static class ServiceRules
{
    private static readonly JsonRule DataFlow = Shape.Object(
        Shape.Required("flow", Shape.OneOf("inbound", "outbound", "bi-directional", "unknown")),
        Shape.Required("classification", Shape.String));

    private static readonly JsonRule Service = Shape.Object(
        Shape.Required("name", Shape.String),
        Shape.Optional("version", Shape.String),
        Shape.Optional("endpoints", Shape.ArrayOf(Shape.String)),
        Shape.Optional("authenticated", Shape.Boolean),
        Shape.Optional("x-trust-boundary", Shape.Boolean),
        Shape.Optional("data", Shape.ArrayOf(DataFlow)),
        Shape.Optional("licenses", LicenseRules.Check),
        Shape.Optional("releaseNotes", ReleaseNoteRules.Check),
        Shape.Optional("properties", PropertyRules.Check),
        Shape.Optional("services", Shape.ArrayOf(Check)));

    public static string? Check(JsonElement service, string path) => Service(service, path);
}
