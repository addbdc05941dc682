using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Signing;
using Rollproof.Sigstore;
using Rollproof.Transparency;

namespace Rollproof.Releases;

/// <summary>Logs a release envelope's Rekor <c>dsse</c> body and wraps it, with its proof, into a Sigstore bundle.</summary>
internal static class SigstoreBundlePublisher
{
    /// <summary>Null when the envelope can go in a bundle: one signature, made by <paramref name="signer"/>.</summary>
    public static Problem? CheckBundleable(DsseEnvelope envelope, PublicKey signer)
    {
        if (envelope.Signatures.Count != 1)
            return new Problem(ErrorCodes.EnvelopeMalformed, $"a Sigstore bundle holds an envelope with one signature; this one has {envelope.Signatures.Count}");
        return envelope.Verify([signer]).IsOk
            ? null
            : new Problem(ErrorCodes.EnvelopeSignatureInvalid, $"the release envelope is not signed by key {signer.KeyId}, so no bundle can name it as the signer");
    }

    public static async Task<Result<byte[]>> LogAndBundleAsync(ReleaseStore store, LogWriter writer, byte[] envelopeJson, DsseEnvelope envelope, PublicKey signer)
    {
        var body = RekorDsseEntry.CanonicalBody(envelopeJson, envelope, signer);
        var (index, fresh) = await writer.AppendWithTimestampAsync(body);
        var timestamp = store.Log.Timestamps.Keep(index, fresh);
        // The writer is ours until disposed, so the checkpoint read here is the one that covers the body.
        var checkpoint = store.Log.ReadCheckpoint();
        if (!checkpoint.IsOk)
            return checkpoint.Problem;
        var inclusion = store.Receipt(index);
        if (!inclusion.IsOk)
            return inclusion.Problem;
        var logId = NoteKeyId.CheckpointKeyId(store.Log.Verifier);
        return Result<byte[]>.Ok(SigstoreBundle.Create(envelope, signer.KeyId, body, timestamp, inclusion.Value, checkpoint.Value.Checkpoint, logId));
    }
}
