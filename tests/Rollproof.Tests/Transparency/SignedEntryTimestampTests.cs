using System.Security.Cryptography;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Transparency;

namespace Rollproof.Tests.Transparency;

public class SignedEntryTimestampTests
{
    private static readonly byte[] Entry = "a logged envelope"u8.ToArray();
    private static readonly DateTimeOffset LoggedAt = new(2026, 3, 1, 12, 30, 15, TimeSpan.Zero);

    public static TheoryData<string> LogKeys => ["ed25519", "ecdsa"];

    private static INoteSigner LogKey(string type)
    {
        if (type == "ed25519")
            return NoteKeys.GenerateEd25519("log.example/releases");
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return NoteSignerFile.Parse(ecdsa.ExportPkcs8PrivateKeyPem(), "log.example/releases").Value;
    }

    private static INoteVerifier VerifierOf(INoteSigner signer) => NoteKeys.ParseVerifierKey(signer.VerifierKey).Value;

    [Theory]
    [MemberData(nameof(LogKeys))]
    public void A_timestamp_verifies_for_its_entry_index_and_time(string type)
    {
        var log = LogKey(type);
        var stamp = SignedEntryTimestamp.Sign(log, Entry, 7, LoggedAt);

        Assert.Null(stamp.Verify(VerifierOf(log), Entry, 7));
        Assert.Equal(LoggedAt, stamp.Time);
    }

    [Theory]
    [MemberData(nameof(LogKeys))]
    public void A_timestamp_moved_to_another_entry_index_or_time_does_not_verify(string type)
    {
        var log = LogKey(type);
        var verifier = VerifierOf(log);
        var stamp = SignedEntryTimestamp.Sign(log, Entry, 7, LoggedAt);

        Assert.Equal(ErrorCodes.EntryTimestampInvalid, stamp.Verify(verifier, "another envelope"u8, 7)?.Code);
        Assert.Equal(ErrorCodes.EntryTimestampInvalid, stamp.Verify(verifier, Entry, 8)?.Code);
        Assert.Equal(ErrorCodes.EntryTimestampInvalid, (stamp with { IntegratedTime = stamp.IntegratedTime - 86400 }).Verify(verifier, Entry, 7)?.Code);
        Assert.Equal(ErrorCodes.EntryTimestampInvalid, stamp.Verify(VerifierOf(LogKey(type)), Entry, 7)?.Code);
    }

    [Fact]
    public void The_payload_is_rekors_canonical_json_with_the_log_id_in_hex()
    {
        var payload = System.Text.Encoding.UTF8.GetString(SignedEntryTimestamp.Payload("hi"u8, 1700000000, 3, [0xab, 0x01]));

        Assert.Equal("""{"body":"aGk=","integratedTime":1700000000,"logID":"ab01","logIndex":3}""", payload);
    }

    [Fact]
    public void An_ed25519_log_id_begins_with_the_note_key_id()
    {
        var log = NoteKeys.GenerateEd25519("log.example/releases");

        var logId = NoteKeyId.CheckpointKeyId(VerifierOf(log));

        Assert.Equal(log.KeyId, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(logId));
    }

    [Fact]
    public void An_ecdsa_log_id_is_the_hash_of_its_public_key_info_as_in_rekor()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var log = NoteSignerFile.Parse(ecdsa.ExportPkcs8PrivateKeyPem(), "log.example/releases").Value;

        Assert.Equal(SHA256.HashData(ecdsa.ExportSubjectPublicKeyInfo()), NoteKeyId.CheckpointKeyId(VerifierOf(log)));
    }
}
