namespace Rollproof.Common;

/// <summary>Stable codes for expected failures; docs/error-codes.md explains each. Never renumber a code.</summary>
public static class ErrorCodes
{
    // RP00xx: inputs in general
    public const string InputMissing = "RP0001";
    public const string InputTooLarge = "RP0002";
    public const string InputMalformed = "RP0003";
    public const string InputNotRegularFile = "RP0004";
    public const string ConfigInvalid = "RP0050";
    public const string CommandLineInvalid = "RP0051";

    // RP10xx: Merkle proofs
    public const string InclusionProofInvalid = "RP1001";
    public const string ConsistencyProofInvalid = "RP1002";
    public const string ProofArgumentsInvalid = "RP1003";

    // RP11xx: signed notes and keys
    public const string NoteMalformed = "RP1101";
    public const string NoteSignatureInvalid = "RP1102";
    public const string NoteNoTrustedSignature = "RP1103";
    public const string VerifierKeyMalformed = "RP1104";
    public const string SignerKeyMalformed = "RP1105";
    public const string UnsupportedKeyType = "RP1106";

    // RP12xx: checkpoints
    public const string CheckpointMalformed = "RP1201";
    public const string CheckpointOriginMismatch = "RP1202";
    public const string CheckpointInconsistent = "RP1203";

    // RP13xx: tiles and log storage
    public const string TileMissing = "RP1301";
    public const string TileMalformed = "RP1302";
    public const string TileHashMismatch = "RP1303";
    public const string EntryBundleMalformed = "RP1304";
    public const string EntryHashMismatch = "RP1305";
    public const string RootMismatch = "RP1306";
    public const string LogNotInitialised = "RP1307";
    public const string LogAlreadyInitialised = "RP1308";
    public const string LogLocked = "RP1309";
    public const string EntryTooLarge = "RP1310";
    public const string IndexOutOfRange = "RP1311";
    public const string EntryTimestampInvalid = "RP1312";
    public const string EntryTimestampOutOfOrder = "RP1313";
    public const string LogRewound = "RP1314";
    public const string CheckpointRecordUnusable = "RP1315";

    // RP14xx: witnesses, policies, receipts
    public const string PolicyMalformed = "RP1401";
    public const string QuorumNotMet = "RP1402";
    public const string ReceiptMalformed = "RP1403";
    public const string ReceiptInvalid = "RP1404";
    public const string WitnessRequestMalformed = "RP1405";
    public const string WitnessUnknownLog = "RP1406";
    public const string WitnessSizeConflict = "RP1407";
    public const string WitnessStateUnusable = "RP1408";
    public const string WitnessUnavailable = "RP1409";
    public const string WitnessQuorumMissing = "RP1410";
    public const string WitnessResting = "RP1411";

    // RP20xx: envelopes, keys and signatures of statements
    public const string EnvelopeMalformed = "RP2001";
    public const string EnvelopeSignatureInvalid = "RP2002";
    public const string KeyFileMalformed = "RP2003";
    public const string KeyPassphraseWrong = "RP2004";
    public const string ExternalSignerFailed = "RP2005";
    public const string TrustFileMalformed = "RP2006";
    public const string KeyNotTrusted = "RP2007";
    public const string TrustFileMismatch = "RP2008";
    public const string KeyNotFound = "RP2015";
    public const string Pkcs11UriMalformed = "RP2016";
    public const string Pkcs11KeyUnavailable = "RP2017";
    public const string Pkcs11LoginFailed = "RP2018";
    public const string Pkcs11PinInStoreConfig = "RP2019";

    // RP21xx: release contents (SBOM, provenance)
    public const string SbomInvalid = "RP2101";
    public const string ProvenanceMismatch = "RP2102";
    public const string ProvenanceInvalid = "RP2103";

    // RP24xx: rollbacks (policy, requests, approvals)
    public const string PolicyInvalid = "RP2401";
    public const string PolicyMissing = "RP2402";
    public const string RoleNotHeld = "RP2403";
    public const string FeedInvalid = "RP2404";
    public const string RequestInvalid = "RP2405";
    public const string RequestInconsistent = "RP2406";

    // RP26xx: runbooks and executions
    public const string RunbookInvalid = "RP2601";
    public const string StepFailed = "RP2602";
    public const string EnvironmentLocked = "RP2603";
    public const string NotApproved = "RP2604";
    public const string TrafficFailed = "RP2605";
    public const string TargetFailed = "RP2606";
    public const string SecretInline = "RP2620";
    public const string SecretUnavailable = "RP2621";
    public const string AmendmentRefused = "RP2630";

    // RP25xx: evidence packages
    public const string EvidenceInvalid = "RP2501";

    // RP23xx: releases
    public const string ReleaseExists = "RP2301";
    public const string ReleaseNotFound = "RP2302";
    public const string ReleaseMismatch = "RP2303";
    public const string StoreNotInitialised = "RP2304";

    // RP22xx: the artifact store
    public const string BlobMissing = "RP2201";
    public const string BlobCorrupt = "RP2202";
    public const string DigestMalformed = "RP2203";
    public const string RegistryFailed = "RP2204";
    public const string ManifestMalformed = "RP2205";
    public const string OperationUnsupported = "RP2206";
    public const string RegistryAuthFailed = "RP2207";
    public const string ImageMismatch = "RP2208";

    // RP27xx: the server (rollproof serve) and its clients
    public const string ServerListenFailed = "RP2701";
    public const string LogUnreachable = "RP2702";
    public const string TlsCertificateUnusable = "RP2720";
    public const string RequestLogUnusable = "RP2721";

    // RP274x: the server's access checks and request limits
    public const string TokenFileMalformed = "RP2740";
    public const string TokenMissing = "RP2741";
    public const string TokenInvalid = "RP2742";
    public const string ActorNotTrusted = "RP2743";
    public const string ActorNotAllowed = "RP2744";
    public const string ActorMayNotSign = "RP2745";
    public const string RateLimited = "RP2746";
    public const string RequestMalformed = "RP2747";
    public const string ServerFault = "RP2748";
    public const string EndpointUndeclared = "RP2749";

    // RP276x: environment locks held by the server, the log key's HSM session, bootstrapping trust
    public const string TrustNotBootstrapped = "RP2760";
    public const string Pkcs11SessionLost = "RP2761";
    public const string LockHeldByAnotherActor = "RP2762";
    public const string LockOverrideInvalid = "RP2763";

    // RP277x: the CLI through --server
    public const string NotThroughServer = "RP2770";

    // RP28xx: the Rekor v1 API (entries Sigstore clients log)
    public const string RekorEntryMalformed = "RP2801";
    public const string RekorSignatureInvalid = "RP2802";
    public const string RekorEntryNotFound = "RP2803";
    public const string RekorEntryExists = "RP2804";

    // RP29xx: verifying Sigstore bundles (rollproof verify-bundle)
    public const string BundleMalformed = "RP2901";
    public const string BundleMediaTypeUnknown = "RP2902";
    public const string BundleVersionRuleBroken = "RP2903";
    public const string SigstoreTrustedRootMalformed = "RP2904";
    public const string ArtifactDigestMismatch = "RP2905";
    public const string BundleSignatureInvalid = "RP2906";
    public const string DsseEnvelopeInvalid = "RP2907";
    public const string InTotoSubjectMismatch = "RP2908";
    public const string BundleKeyMismatch = "RP2909";
    public const string SigningKeyUnsupported = "RP2910";
    public const string SigningCertificateMalformed = "RP2911";
    public const string CertificateChainUntrusted = "RP2912";
    public const string CertificateChainCarriesRoot = "RP2913";
    public const string CertificateIdentityMismatch = "RP2914";
    public const string CertificateIssuerMismatch = "RP2915";
    public const string CertificateNotValidAtTime = "RP2916";
    public const string SctInvalid = "RP2917";
    public const string TimestampMalformed = "RP2918";
    public const string TimestampUntrusted = "RP2919";
    public const string TimestampOutsideTsaValidity = "RP2920";
    public const string NoVerifiedTime = "RP2921";
    public const string NoTlogEntry = "RP2922";
    public const string TimestampImprintMismatch = "RP2924";
    public const string TlogEntryMalformed = "RP2931";
    public const string TlogKindUnsupported = "RP2932";
    public const string TlogBodyMismatch = "RP2933";
    public const string TlogLogUnknown = "RP2934";
    public const string TlogLogKeyUnsupported = "RP2935";
    public const string TlogLogKeyNotValid = "RP2936";
    public const string TlogIntegratedTimeInFuture = "RP2937";
    public const string TlogPromiseInvalid = "RP2938";
    public const string TlogInclusionMissing = "RP2939";
    public const string TlogInclusionProofInvalid = "RP2940";
    public const string TlogCheckpointInvalid = "RP2941";
    public const string TlogCheckpointUnsigned = "RP2942";
    public const string TlogCheckpointMismatch = "RP2943";

    // Cosign bundles a release carries for its artifacts (RP2960-RP2979); a bundle that does not verify keeps its own code.
    public const string CosignBundleArtifactUnknown = "RP2960";
    public const string CosignBundleBindingMalformed = "RP2961";
    public const string CertificateNotForCodeSigning = "RP2962";
}
