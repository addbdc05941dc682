using System.Text.Json;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Testing;
using Rollproof.Transparency;

namespace Rollproof.Tests.Transparency;

/// <summary>
/// Our signed-entry-timestamp payload and log IDs against what Sigstore's public-good staging Rekor produced
/// (testvectors/sigstore-bundles): its promise must verify under our reading, and its log IDs match our formula.
/// </summary>
public class RekorVectorTests
{
    private static JsonElement Read(string vector, string file) =>
        JsonDocument.Parse(File.ReadAllBytes(SharedFiles.Vector("sigstore-bundles", vector, file))).RootElement;

    private static JsonElement Tlog(string baseUrl) =>
        Read("managed-key-and-trusted-root", "trusted_root.json").GetProperty("tlogs").EnumerateArray()
            .Single(t => t.GetProperty("baseUrl").GetString() == baseUrl);

    private static byte[] Spki(JsonElement tlog) => Convert.FromBase64String(tlog.GetProperty("publicKey").GetProperty("rawBytes").GetString()!);

    private static byte[] LogId(JsonElement tlog) => Convert.FromBase64String(tlog.GetProperty("logId").GetProperty("keyId").GetString()!);

    [Fact]
    public void Rekors_signed_entry_timestamp_verifies_as_we_build_the_payload_and_fails_when_moved()
    {
        var rekor = EcdsaNoteVerifier.FromSubjectPublicKeyInfo("rekor.sigstage.dev", Spki(Tlog("https://rekor.sigstage.dev")))!;
        var entry = Read("managed-key-and-trusted-root", "bundle.sigstore.json").GetProperty("verificationMaterial").GetProperty("tlogEntries")[0];
        var body = Convert.FromBase64String(entry.GetProperty("canonicalizedBody").GetString()!);
        var index = long.Parse(entry.GetProperty("logIndex").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var stamp = new SignedEntryTimestamp(
            long.Parse(entry.GetProperty("integratedTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            Convert.FromBase64String(entry.GetProperty("inclusionPromise").GetProperty("signedEntryTimestamp").GetString()!));

        Assert.Null(stamp.Verify(rekor, body, index));
        Assert.Equal(ErrorCodes.EntryTimestampInvalid, stamp.Verify(rekor, body, index + 1)?.Code);
        Assert.Equal(ErrorCodes.EntryTimestampInvalid, (stamp with { IntegratedTime = stamp.IntegratedTime + 1 }).Verify(rekor, body, index)?.Code);
    }

    [Fact]
    public void An_ecdsa_log_id_is_what_rekor_publishes()
    {
        var tlog = Tlog("https://rekor.sigstage.dev");

        Assert.Equal(LogId(tlog), NoteKeyId.CheckpointKeyId(EcdsaNoteVerifier.FromSubjectPublicKeyInfo("rekor.sigstage.dev", Spki(tlog))!));
    }

    [Fact]
    public void An_ed25519_log_id_is_what_rekor_v2_publishes()
    {
        const string name = "log2025-alpha1.rekor.sigstage.dev";
        var tlog = Tlog("https://" + name);
        var raw = Spki(tlog)[^32..];
        var verifier = NoteKeys.ParseVerifierKey(NoteKeys.FormatVerifierKey(name, NoteKeyId.Compute(name, NoteSignatureType.Ed25519, raw), NoteSignatureType.Ed25519, raw)).Value;

        Assert.Equal(LogId(tlog), NoteKeyId.CheckpointKeyId(verifier));
    }
}
