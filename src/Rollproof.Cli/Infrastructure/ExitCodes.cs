using Rollproof.Common;

namespace Rollproof.Cli.Infrastructure;

/// <summary>Process exit codes; docs/cli.md documents them for scripts.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something checked is not as it should be: a signature, proof, tile, entry or quorum failed.</summary>
    public const int VerificationFailed = 1;

    /// <summary>The command line is wrong: unknown command or option, missing or malformed argument.</summary>
    public const int Usage = 2;

    /// <summary>An input or the log's state is unusable: a missing or malformed file, a log not initialised or locked.</summary>
    public const int InputError = 3;

    /// <summary>A bug: an unexpected exception. Please report it with the message.</summary>
    public const int InternalError = 70;

    /// <summary>A run stopped by its operator (SIGINT or SIGTERM), resumable; what a shell reports for a process ended by SIGINT.</summary>
    public const int Interrupted = 130;

    private static readonly HashSet<string> VerificationCodes =
    [
        ErrorCodes.InclusionProofInvalid, ErrorCodes.ConsistencyProofInvalid, ErrorCodes.NoteSignatureInvalid,
        ErrorCodes.NoteNoTrustedSignature, ErrorCodes.CheckpointOriginMismatch, ErrorCodes.CheckpointInconsistent,
        ErrorCodes.TileMissing, ErrorCodes.TileMalformed, ErrorCodes.TileHashMismatch, ErrorCodes.EntryBundleMalformed,
        ErrorCodes.EntryHashMismatch, ErrorCodes.RootMismatch, ErrorCodes.QuorumNotMet, ErrorCodes.ReceiptInvalid,
        ErrorCodes.EnvelopeSignatureInvalid, ErrorCodes.KeyNotTrusted, ErrorCodes.BlobCorrupt, ErrorCodes.BlobMissing,
        ErrorCodes.ReleaseMismatch, ErrorCodes.EntryTimestampInvalid, ErrorCodes.RoleNotHeld, ErrorCodes.EvidenceInvalid, ErrorCodes.StepFailed, ErrorCodes.NotApproved, ErrorCodes.EnvironmentLocked,
        ErrorCodes.TrustFileMismatch, ErrorCodes.RequestInconsistent, ErrorCodes.LogRewound,
        ErrorCodes.AmendmentRefused, ErrorCodes.ImageMismatch,
        ErrorCodes.ArtifactDigestMismatch, ErrorCodes.BundleSignatureInvalid, ErrorCodes.DsseEnvelopeInvalid, ErrorCodes.InTotoSubjectMismatch,
        ErrorCodes.BundleKeyMismatch, ErrorCodes.CertificateChainUntrusted, ErrorCodes.CertificateChainCarriesRoot, ErrorCodes.CertificateIdentityMismatch,
        ErrorCodes.CertificateIssuerMismatch, ErrorCodes.CertificateNotValidAtTime, ErrorCodes.SctInvalid, ErrorCodes.TimestampUntrusted,
        ErrorCodes.TimestampOutsideTsaValidity, ErrorCodes.NoVerifiedTime, ErrorCodes.NoTlogEntry, ErrorCodes.TimestampImprintMismatch,
        ErrorCodes.TlogBodyMismatch, ErrorCodes.TlogLogUnknown, ErrorCodes.TlogLogKeyNotValid, ErrorCodes.TlogIntegratedTimeInFuture, ErrorCodes.TlogPromiseInvalid,
        ErrorCodes.TlogInclusionMissing, ErrorCodes.TlogInclusionProofInvalid, ErrorCodes.TlogCheckpointInvalid, ErrorCodes.TlogCheckpointUnsigned, ErrorCodes.TlogCheckpointMismatch,
        ErrorCodes.CosignBundleArtifactUnknown, ErrorCodes.CosignBundleBindingMalformed, ErrorCodes.CertificateNotForCodeSigning,
    ];

    // Found only once the command runs, yet a mistake on the command line: a --key NAME in no keyring.
    private static readonly HashSet<string> UsageCodes = [ErrorCodes.KeyNotFound, ErrorCodes.Pkcs11UriMalformed, ErrorCodes.NotThroughServer];

    public static int For(Problem problem) =>
        VerificationCodes.Contains(problem.Code) ? VerificationFailed : UsageCodes.Contains(problem.Code) ? Usage : InputError;
}
