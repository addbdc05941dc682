using System.Text;
using Rollproof.Signing;

namespace Rollproof.Tests.Signing;

/// <summary>
/// A note key remembers the signatures it has verified (a server reads the same checkpoint many times a second): what
/// it remembers must never let a forgery through, however close to a note it has seen.
/// </summary>
public sealed class VerifiedSignaturesTests
{
    private static readonly Ed25519NoteSigner Signer = NoteKeys.GenerateEd25519("log.example/verified");

    [Fact]
    public void A_note_verified_once_verifies_again()
    {
        var verifier = Verifier();
        var note = "log.example/verified\n7\nroot\n"u8.ToArray();
        var signature = Signer.Sign(note);

        Assert.True(verifier.Verify(note, signature));
        Assert.True(verifier.Verify(note, signature));
    }

    [Fact]
    public void After_a_note_verified_a_changed_note_or_signature_is_still_refused()
    {
        var verifier = Verifier();
        var note = "log.example/verified\n7\nroot\n"u8.ToArray();
        var signature = Signer.Sign(note);
        Assert.True(verifier.Verify(note, signature));

        var otherNote = "log.example/verified\n8\nroot\n"u8.ToArray();
        var flipped = (byte[])signature.Clone();
        flipped[0] ^= 1;
        // The same bytes split another way between note and signature.
        var shifted = note.Concat(signature).ToArray();

        Assert.False(verifier.Verify(otherNote, signature));
        Assert.False(verifier.Verify(note, flipped));
        Assert.False(verifier.Verify(shifted.AsSpan(0, note.Length + 1), shifted.AsSpan(note.Length + 1)));
    }

    [Fact]
    public void A_signature_remembered_by_one_key_counts_for_no_other_key()
    {
        var note = "log.example/verified\n7\nroot\n"u8.ToArray();
        var signature = Signer.Sign(note);
        Assert.True(Verifier().Verify(note, signature));
        var other = NoteKeys.GenerateEd25519("log.example/verified");

        var otherVerifier = (Ed25519NoteVerifier)NoteKeys.ParseVerifierKey(other.VerifierKey).Value;

        Assert.False(otherVerifier.Verify(note, signature));
    }

    [Fact]
    public void More_notes_than_it_remembers_still_verify_each_on_its_own()
    {
        var verifier = Verifier();
        var notes = Enumerable.Range(0, 3 * VerifiedSignatures.Capacity).Select(i => Encoding.UTF8.GetBytes($"log.example/verified\n{i}\nroot\n")).ToList();

        Assert.All(notes, note => Assert.True(verifier.Verify(note, Signer.Sign(note))));
        Assert.All(notes, note => Assert.False(verifier.Verify(note, Signer.Sign([.. note, (byte)'x']))));
    }

    private static Ed25519NoteVerifier Verifier() => (Ed25519NoteVerifier)NoteKeys.ParseVerifierKey(Signer.VerifierKey).Value;
}
