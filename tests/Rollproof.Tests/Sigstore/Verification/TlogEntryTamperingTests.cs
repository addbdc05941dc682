using System.Text;
using System.Text.Json.Nodes;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Sigstore.Verification;

namespace Rollproof.Tests.Sigstore.Verification;

/// <summary>
/// Each check of <see cref="TlogEntryVerifier"/> met by the tampering it stops, on the public vectors (Rekor v1:
/// trust-root-tlog-validity-end-inclusive; Rekor v2: rekor2-happy-path and its cosigned variants).
/// </summary>
public class TlogEntryTamperingTests
{
    private const string RekorV1 = "trust-root-tlog-validity-end-inclusive";
    private const string RekorV2 = "rekor2-happy-path";
    private static readonly DateTimeOffset RekorV1IntegratedTime = DateTimeOffset.FromUnixTimeSeconds(1689177396);

    [Fact]
    public void A_body_swapped_for_another_entry_of_the_log_does_not_match_the_content()
    {
        var vector = TlogVectorCase.Load(RekorV2);
        vector.Entry["canonicalizedBody"] = (string)TlogVectorCase.Load("rekor2-timestamp-payload-mismatch_fail").Entry["canonicalizedBody"]!;
        AssertFails(vector.Verify(), ErrorCodes.TlogBodyMismatch, "signature");
    }

    [Fact]
    public void A_body_that_logs_another_signer_does_not_match_the_content()
    {
        var vector = TlogVectorCase.Load(RekorV2);
        vector.Bundle["verificationMaterial"]!["certificate"] = TlogVectorCase.Load("rekor2-timestamp-without-embedded-cert").Bundle["verificationMaterial"]!["certificate"]!.DeepClone();
        AssertFails(vector.Verify(), ErrorCodes.TlogBodyMismatch, "signing certificate");
    }

    [Fact]
    public void A_kind_version_that_disagrees_with_the_body_is_refused()
    {
        var vector = TlogVectorCase.Load(RekorV2);
        vector.Entry["kindVersion"]!["version"] = "0.0.1";
        AssertFails(vector.Verify(), ErrorCodes.TlogKindUnsupported, "0.0.2");
    }

    [Fact]
    public void A_flipped_proof_hash_does_not_lead_to_the_root()
    {
        var vector = TlogVectorCase.Load(RekorV2);
        var hashes = vector.Entry["inclusionProof"]!["hashes"]!.AsArray();
        var hash = TlogVectorCase.Bytes(hashes[3]);
        hash[0] ^= 1;
        hashes[3] = Convert.ToBase64String(hash);
        AssertFails(vector.Verify(), ErrorCodes.TlogInclusionProofInvalid, "different root");
    }

    [Fact]
    public void A_proof_of_more_than_64_hashes_is_refused_before_hashing()
    {
        var vector = TlogVectorCase.Load(RekorV2);
        vector.Entry["inclusionProof"]!["hashes"] = new JsonArray([.. Enumerable.Range(0, 65).Select(_ => (JsonNode)Convert.ToBase64String(new byte[32]))]);
        AssertFails(vector.Verify(), ErrorCodes.TlogEntryMalformed, "64");
    }

    [Fact]
    public void A_checkpoint_signed_by_a_witness_only_is_not_signed_by_the_log()
    {
        var vector = TlogVectorCase.Load("rekor2-checkpoint-origin-not-first");
        var checkpoint = vector.Entry["inclusionProof"]!["checkpoint"]!.AsObject();
        var lines = ((string)checkpoint["envelope"]!).Split('\n');
        checkpoint["envelope"] = string.Join('\n', lines.Where(l => !l.StartsWith("\u2014 log2025-alpha1", StringComparison.Ordinal)));
        AssertFails(vector.Verify(), ErrorCodes.TlogCheckpointUnsigned, "no signature by a trusted key");
    }

    [Fact]
    public void A_witness_line_with_a_bad_signature_is_ignored()
    {
        var vector = TlogVectorCase.Load("rekor2-checkpoint-multiple-cosigs");
        var checkpoint = vector.Entry["inclusionProof"]!["checkpoint"]!.AsObject();
        var lines = ((string)checkpoint["envelope"]!).Split('\n');
        var witness = Array.FindIndex(lines, l => l.StartsWith("\u2014 witness.example/w1 ", StringComparison.Ordinal));
        var signature = Convert.FromBase64String(lines[witness].Split(' ')[2]);
        signature[^1] ^= 1;
        lines[witness] = "\u2014 witness.example/w1 " + Convert.ToBase64String(signature);
        checkpoint["envelope"] = string.Join('\n', lines);
        Assert.True(vector.Verify().IsOk);
    }

    [Fact]
    public void A_rekor_v2_log_key_not_yet_valid_at_the_timestamp_is_refused()
    {
        var vector = TlogVectorCase.Load(RekorV2);
        var times = vector.TimestampTimes();
        LogKeyValidity(vector, "8w1amZ2S5mJIQkQmPxdMuOrL/oJkvFg9MnQXmeOCXck=")["start"] = times[0].AddSeconds(1).ToString("O");
        AssertFails(vector.Verify(), ErrorCodes.TlogLogKeyNotValid, "verified timestamp");
    }

    [Fact]
    public void A_rekor_v2_entry_with_no_verified_timestamp_has_no_time_to_check_the_log_key_at()
    {
        AssertFails(TlogVectorCase.Load(RekorV2).Verify(timestampTimes: []), ErrorCodes.TlogLogKeyNotValid, "no verified timestamp");
    }

    [Fact]
    public void A_rekor_v1_log_key_that_expired_a_second_before_the_integrated_time_is_refused()
    {
        var vector = TlogVectorCase.Load(RekorV1);
        LogKeyValidity(vector, "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=")["end"] = RekorV1IntegratedTime.AddSeconds(-1).ToString("O");
        AssertFails(vector.Verify(), ErrorCodes.TlogLogKeyNotValid, "integrated time");
    }

    [Fact]
    public void A_log_key_with_no_start_of_validity_is_never_valid()
    {
        var vector = TlogVectorCase.Load(RekorV1);
        LogKeyValidity(vector, "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=").Remove("start");
        AssertFails(vector.Verify(), ErrorCodes.TlogLogKeyNotValid, "no start");
    }

    [Fact]
    public void An_integrated_time_after_the_verifiers_clock_is_refused()
    {
        AssertFails(TlogVectorCase.Load(RekorV1).Verify(now: RekorV1IntegratedTime.AddSeconds(-1)), ErrorCodes.TlogIntegratedTimeInFuture, "after the verifier's clock");
    }

    [Fact]
    public void An_integrated_time_moved_by_a_second_breaks_the_signed_entry_timestamp()
    {
        var vector = TlogVectorCase.Load(RekorV1);
        vector.Entry["integratedTime"] = (RekorV1IntegratedTime.ToUnixTimeSeconds() - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        AssertFails(vector.Verify(), ErrorCodes.TlogPromiseInvalid, "signedEntryTimestamp");
    }

    [Fact]
    public void A_rekor_v1_entry_with_its_promise_alone_verifies_and_with_neither_proof_nor_promise_does_not()
    {
        var vector = TlogVectorCase.Load(RekorV1);
        vector.Entry.Remove("inclusionProof");
        Assert.True(vector.Verify().IsOk);
        vector.Entry.Remove("inclusionPromise");
        AssertFails(vector.Verify(), ErrorCodes.TlogInclusionMissing, "neither");
    }

    [Fact]
    public void An_entry_of_a_log_the_trusted_root_does_not_name_is_refused()
    {
        var vector = TlogVectorCase.Load(RekorV2);
        vector.TrustedRoot["tlogs"]!.AsArray().RemoveAt(1);
        AssertFails(vector.Verify(), ErrorCodes.TlogLogUnknown, "8w1amZ2S5mJIQkQmPxdMuOrL");
    }

    [Fact]
    public void A_checkpoint_of_another_tree_than_the_proofs_is_refused()
    {
        var log = new OwnLog("log.test");
        var vector = log.Relog(TlogVectorCase.Load(RekorV2), index: 0, proofSize: 2, checkpointSize: 3);
        AssertFails(vector.Verify(), ErrorCodes.TlogCheckpointMismatch, "tree size 3");
    }

    [Fact]
    public void A_checkpoint_the_log_signed_under_another_origin_is_not_the_logs_checkpoint()
    {
        var log = new OwnLog("log.test");
        var vector = log.Relog(TlogVectorCase.Load(RekorV2), index: 1, proofSize: 3, checkpointSize: 3, signAs: "other.test");
        AssertFails(vector.Verify(), ErrorCodes.TlogCheckpointUnsigned, "origin 'other.test'");
    }

    [Fact]
    public void A_log_line_whose_signature_does_not_verify_is_refused_even_beside_a_witness()
    {
        var log = new OwnLog("log.test");
        var vector = log.Relog(TlogVectorCase.Load(RekorV2), index: 1, proofSize: 3, checkpointSize: 3, breakLogSignature: true);
        AssertFails(vector.Verify(), ErrorCodes.TlogCheckpointUnsigned, "does not verify");
    }

    [Fact]
    public void The_same_entry_relogged_in_our_own_log_verifies_with_a_witness_cosignature_beside_the_log()
    {
        var log = new OwnLog("log.test");
        Assert.True(log.Relog(TlogVectorCase.Load(RekorV2), index: 1, proofSize: 3, checkpointSize: 3).Verify().IsOk);
    }

    private static JsonObject LogKeyValidity(TlogVectorCase vector, string logId) =>
        vector.TrustedRoot["tlogs"]!.AsArray().Single(t => (string)t!["logId"]!["keyId"]! == logId)!["publicKey"]!["validFor"]!.AsObject();

    private static void AssertFails(Result<VerifiedTlogEntry> verified, string code, string mentions)
    {
        Assert.False(verified.IsOk);
        Assert.Equal(code, verified.Problem.Code);
        Assert.Contains(mentions, verified.Problem.Message, StringComparison.Ordinal);
    }

    /// <summary>An Ed25519 Rekor v2 log of ours, to sign checkpoints a test needs; a witness cosigns each.</summary>
    private sealed class OwnLog(string origin)
    {
        private readonly Ed25519NoteSigner _key = NoteKeys.GenerateEd25519(origin);
        private readonly CosignatureV1Signer _witness = NoteKeys.GenerateCosigner("witness.test", TimeProvider.System);

        /// <summary>
        /// The vector's entry put at <paramref name="index"/> of our tree (other leaves are filler), proven in the tree
        /// of <paramref name="proofSize"/>, with a checkpoint of <paramref name="checkpointSize"/> signed as
        /// <paramref name="signAs"/>; the trusted root names only our log.
        /// </summary>
        public TlogVectorCase Relog(TlogVectorCase vector, int index, int proofSize, int checkpointSize, string? signAs = null, bool breakLogSignature = false)
        {
            var body = TlogVectorCase.Bytes(vector.Entry["canonicalizedBody"]);
            var tree = new Rollproof.Transparency.MemoryNodeSource();
            for (var i = 0; i < checkpointSize; i++)
                tree.AppendEntry(i == index ? body : Encoding.UTF8.GetBytes($"filler {i}"));
            var builder = new Rollproof.Transparency.ProofBuilder(tree);
            var signer = signAs is null ? _key : new Ed25519NoteSigner(signAs, SeedOf(_key));
            var text = new Rollproof.Transparency.Checkpoint(signAs ?? origin, checkpointSize, builder.Root(checkpointSize)).ToText();
            var note = SignedNote.Sign(text, signer, _witness);
            if (breakLogSignature)
            {
                var logLine = note.Signatures[0];
                var broken = (byte[])logLine.Signature.Clone();
                broken[0] ^= 1;
                note = note with { Signatures = [logLine with { Signature = broken }, note.Signatures[1]] };
            }
            var logId = NoteKeyId.CheckpointKeyId(NoteKeys.ParseVerifierKey(_key.VerifierKey).Value);
            vector.Entry["logIndex"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            vector.Entry["logId"] = new JsonObject { ["keyId"] = Convert.ToBase64String(logId) };
            vector.Entry["inclusionProof"] = new JsonObject
            {
                ["logIndex"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["rootHash"] = Convert.ToBase64String(builder.Root(proofSize)),
                ["treeSize"] = proofSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["hashes"] = new JsonArray([.. builder.Inclusion(index, proofSize).Value.Select(h => (JsonNode)Convert.ToBase64String(h))]),
                ["checkpoint"] = new JsonObject { ["envelope"] = note.ToString() },
            };
            vector.TrustedRoot["tlogs"] = new JsonArray(new JsonObject
            {
                ["baseUrl"] = "https://" + origin,
                ["hashAlgorithm"] = "SHA2_256",
                ["publicKey"] = new JsonObject
                {
                    ["rawBytes"] = Convert.ToBase64String(PublicKey.FromEd25519(_key.PublicKey).SubjectPublicKeyInfo),
                    ["keyDetails"] = "PKIX_ED25519",
                    ["validFor"] = new JsonObject { ["start"] = "2020-01-01T00:00:00Z" },
                },
                ["logId"] = new JsonObject { ["keyId"] = Convert.ToBase64String(logId) },
            });
            return vector;
        }

        // The same key under another name: the signer key string carries the seed after its type byte.
        private static byte[] SeedOf(Ed25519NoteSigner key) => Convert.FromBase64String(key.SignerKey.Split('+')[^1])[1..];
    }
}
