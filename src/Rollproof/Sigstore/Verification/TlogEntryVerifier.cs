using System.Text.Json;
using Rollproof.Common;

namespace Rollproof.Sigstore.Verification;

/// <summary>Checks one of a bundle's transparency-log entries against its content and the trusted root's logs.</summary>
public static class TlogEntryVerifier
{
    /// <param name="entry">One element of <c>verificationMaterial.tlogEntries</c>, untrusted.</param>
    /// <param name="content">The bundle's content, its signature already verified.</param>
    /// <param name="tlogs">The trusted root's <c>tlogs</c>.</param>
    /// <param name="timestampTimes">Times vouched for by verified RFC 3161 timestamps: the times at which a log key
    /// must have been valid for an entry that carries no integrated time of its own (Rekor v2).</param>
    /// <param name="now">The verifier's clock: an integrated time after it is refused.</param>
    public static Result<VerifiedTlogEntry> Verify(JsonElement entry, SignedContent content, IReadOnlyList<TransparencyLogInstance> tlogs, IReadOnlyList<DateTimeOffset> timestampTimes, DateTimeOffset now) =>
        Result<VerifiedTlogEntry>.Fail(ErrorCodes.TlogEntryInvalid, "transparency-log entries cannot be verified yet");
}
