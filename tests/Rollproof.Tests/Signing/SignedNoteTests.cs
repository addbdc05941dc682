using System.Text;
using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Tests.Signing;

public class SignedNoteTests
{
    private const string Text = "example.com/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";

    [Theory]
    [InlineData("no signatures\n", ErrorCodes.NoteMalformed, "no blank line")]
    [InlineData("text\n\n— a AAAAAA==\n", ErrorCodes.NoteMalformed, "shorter than a key ID")]
    [InlineData("text\n\n— a AAAAAAAAAA==", ErrorCodes.NoteMalformed, "does not end with a newline")]
    [InlineData("text\n\n- a AAAAAAAAAA==\n", ErrorCodes.NoteMalformed, "em dash")]
    [InlineData("text\n\n— a !!!!\n", ErrorCodes.NoteMalformed, "not valid base64")]
    [InlineData("text\n\n—  AAAAAAAAAA==\n", ErrorCodes.NoteMalformed, "no key name")]
    [InlineData("te\tst\n\n— a AAAAAAAAAA==\n", ErrorCodes.NoteMalformed, "control character U+0009 at offset 2")]
    [InlineData("text\n\n— a+b AAAAAAAAAA==\n", ErrorCodes.NoteMalformed, "contains spaces or '+'")]
    [InlineData("text\n\n\n", ErrorCodes.NoteMalformed, "no signature lines")]
    public void Malformed_notes_are_rejected_with_a_precise_error(string note, string code, string detail)
    {
        var result = SignedNote.Parse(note);
        Assert.False(result.IsOk);
        Assert.Equal(code, result.Problem.Code);
        Assert.Contains(detail, result.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_rejected_with_its_offset()
    {
        var bytes = Encoding.UTF8.GetBytes("text\n\n— a AAAAAAAAAA==\n");
        bytes[2] = 0xFF;
        var result = SignedNote.Parse(bytes);
        Assert.Contains("byte offset 2", result.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Oversized_notes_are_rejected_before_parsing()
    {
        var result = SignedNote.Parse(new byte[SignedNote.MaxSize + 1]);
        Assert.Contains("limit", result.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sixteen_signatures_are_accepted_and_unknown_keys_ignored()
    {
        var signers = Enumerable.Range(0, 16).Select(i => (INoteSigner)NoteKeys.GenerateEd25519($"witness{i}.example")).ToArray();
        var note = SignedNote.Parse(SignedNote.Sign(Text, signers).ToString()).Value;
        var trusted = NoteKeys.ParseVerifierKey(signers[7].VerifierKey).Value;

        var opened = note.Open([trusted]).Value;

        Assert.Equal(16, note.Signatures.Count);
        Assert.Single(opened.Verified);
        Assert.Equal(15, opened.Unverified.Count);
    }

    [Fact]
    public void A_key_sharing_only_the_name_with_a_trusted_key_is_ignored()
    {
        var trusted = NoteKeys.GenerateEd25519("log.example");
        var impostor = NoteKeys.GenerateEd25519("log.example");
        var note = SignedNote.Sign(Text, impostor, trusted);

        var opened = note.Open([NoteKeys.ParseVerifierKey(trusted.VerifierKey).Value]);

        Assert.True(opened.IsOk);
        Assert.Single(opened.Value.Verified);
    }

    [Fact]
    public void A_bad_signature_from_a_known_key_rejects_the_whole_note()
    {
        var good = NoteKeys.GenerateEd25519("log.example");
        var witness = NoteKeys.GenerateEd25519("witness.example");
        var note = SignedNote.Sign(Text, good, witness);
        var forged = note with { Signatures = [note.Signatures[0], note.Signatures[1] with { Signature = new byte[64] }] };

        var opened = forged.Open([Verifier(good), Verifier(witness)]);

        Assert.Equal(ErrorCodes.NoteSignatureInvalid, opened.Problem?.Code);
        Assert.Contains("witness.example", opened.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_note_without_any_trusted_signature_is_rejected()
    {
        var note = SignedNote.Sign(Text, NoteKeys.GenerateEd25519("someone.example"));
        var opened = note.Open([Verifier(NoteKeys.GenerateEd25519("log.example"))]);
        Assert.Equal(ErrorCodes.NoteNoTrustedSignature, opened.Problem?.Code);
    }

    [Fact]
    public void Ecdsa_note_keys_sign_and_verify_and_use_the_spki_key_id()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var signer = new EcdsaNoteSigner("log.example", key);
        var verifier = NoteKeys.ParseVerifierKey(signer.VerifierKey).Value;

        var note = SignedNote.Parse(SignedNote.Sign(Text, signer).ToString()).Value;

        Assert.True(note.Open([verifier]).IsOk);
        Assert.Equal(NoteSignatureType.Ecdsa, verifier.Type);
        Assert.Equal(NoteKeyId.ComputeEcdsa(key.ExportSubjectPublicKeyInfo()), verifier.KeyId);
        Assert.False((note with { Text = Text.Replace('3', '4') }).Open([verifier]).IsOk);
    }

    private static INoteVerifier Verifier(INoteSigner signer) => NoteKeys.ParseVerifierKey(signer.VerifierKey).Value;
}
