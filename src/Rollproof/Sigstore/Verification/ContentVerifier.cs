using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Rollproof.Common;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// A bundle's content against the artifact and the signing key: a message signature must be over the artifact (and
/// any digest it names must be the artifact's); a DSSE envelope's one signature must be over its pre-authentication
/// encoding, and an in-toto statement in it must name the artifact's SHA-256 among its subjects.
/// </summary>
internal static class ContentVerifier
{
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    public static Result<SignedContent> Verify(BundleDocument bundle, BundleArtifact artifact, SigningKey key, SignerMaterial signer) =>
        bundle.MessageSignature is { } message ? VerifyMessage(message, artifact, key, signer) : VerifyDsse(bundle.Dsse!, artifact, key, signer);

    private static Result<SignedContent> VerifyMessage(BundleMessageSignature message, BundleArtifact artifact, SigningKey key, SignerMaterial signer)
    {
        if (message.Digest is { } digest)
        {
            if (message.DigestAlgorithm != "SHA2_256")
                return Result<SignedContent>.Fail(ErrorCodes.ArtifactDigestMismatch, $"$.messageSignature.messageDigest.algorithm '{message.DigestAlgorithm}' is not SHA2_256, the digest the artifact is known by");
            if (!CryptographicOperations.FixedTimeEquals(digest, artifact.Sha256))
                return Result<SignedContent>.Fail(ErrorCodes.ArtifactDigestMismatch, $"$.messageSignature.messageDigest is sha256:{Convert.ToHexStringLower(digest)}, not the artifact's {artifact}");
        }
        var verified = key.VerifyArtifact(artifact, message.Signature);
        if (!verified.IsOk)
            return verified.Problem;
        if (!verified.Value)
            return Result<SignedContent>.Fail(ErrorCodes.BundleSignatureInvalid, $"$.messageSignature.signature does not verify over the artifact {artifact} with the signing key");
        return Result<SignedContent>.Ok(new MessageSignatureContent(signer, message.Signature, artifact.Sha256));
    }

    private static Result<SignedContent> VerifyDsse(BundleDsseEnvelope envelope, BundleArtifact artifact, SigningKey key, SignerMaterial signer)
    {
        if (!key.VerifyData(PreAuthenticationEncoding(envelope.PayloadType, envelope.Payload), envelope.Signature))
            return Result<SignedContent>.Fail(ErrorCodes.BundleSignatureInvalid, "$.dsseEnvelope.signatures[0].sig does not verify over the envelope's pre-authentication encoding with the signing key");
        if (envelope.PayloadType != InTotoPayloadType)
            return Result<SignedContent>.Fail(ErrorCodes.InTotoSubjectMismatch, $"$.dsseEnvelope.payloadType is '{envelope.PayloadType}'; only an in-toto statement ({InTotoPayloadType}) can say which artifact it is about");
        var subject = NamesSubject(envelope.Payload, artifact.Sha256);
        if (!subject.IsOk)
            return subject.Problem;
        if (!subject.Value)
            return Result<SignedContent>.Fail(ErrorCodes.InTotoSubjectMismatch, $"the in-toto statement in $.dsseEnvelope.payload has no subject with the artifact's digest {artifact}");
        return Result<SignedContent>.Ok(new DsseContent(signer, envelope.Signature, envelope.PayloadType, envelope.Payload, envelope.KeyId, envelope.EnvelopeJson));
    }

    /// <summary>DSSE's PAE: <c>"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body</c>, lengths in ASCII decimal.</summary>
    public static byte[] PreAuthenticationEncoding(string payloadType, byte[] payload)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} "));
        var middle = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $" {payload.Length} "));
        return [.. header, .. type, .. middle, .. payload];
    }

    // subject[].digest.sha256 in lowercase or uppercase hex; a statement that is not one is refused, not skipped.
    private static Result<bool> NamesSubject(byte[] payload, byte[] sha256)
    {
        try
        {
            using var statement = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 64 });
            if (statement.RootElement.ValueKind != JsonValueKind.Object || !statement.RootElement.TryGetProperty("subject", out var subjects) || subjects.ValueKind != JsonValueKind.Array)
                return Result<bool>.Fail(ErrorCodes.InTotoSubjectMismatch, "the in-toto statement in $.dsseEnvelope.payload has no subject array");
            var expected = Convert.ToHexStringLower(sha256);
            foreach (var subject in subjects.EnumerateArray())
            {
                if (subject.ValueKind == JsonValueKind.Object && subject.TryGetProperty("digest", out var digest) && digest.ValueKind == JsonValueKind.Object
                    && digest.TryGetProperty("sha256", out var hex) && hex.ValueKind == JsonValueKind.String
                    && string.Equals(hex.GetString(), expected, StringComparison.OrdinalIgnoreCase))
                    return Result<bool>.Ok(true);
            }
            return Result<bool>.Ok(false);
        }
        catch (JsonException e)
        {
            return Result<bool>.Fail(ErrorCodes.InTotoSubjectMismatch, $"$.dsseEnvelope.payload is not a JSON in-toto statement: {e.Message}");
        }
    }
}
