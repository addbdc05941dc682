using System.Text;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;

namespace Rollproof.Sigstore.Rekor;

/// <summary>
/// Rekor's <c>dsse</c> 0.0.1 entry as proposed: a DSSE envelope (as a JSON string) and the keys that verify it. Every
/// signature on the envelope must verify with one of the keys before anything is logged; the logged body
/// (<see cref="RekorDsseEntry"/>) keeps the hashes of the envelope and payload and each signature with its key, never
/// the envelope itself. The logged body is not an envelope, so a statement proposed this way never counts as one.
/// </summary>
internal static class DsseV001
{
    private const int MaxVerifiers = 8;
    private const int MaxSignatures = 8;

    public static Result<RekorEntry> Check(JsonElement specElement)
    {
        var spec = JsonFields.Of(specElement, "spec", "proposedContent");
        var proposed = spec.IsOk ? spec.Value.Object("proposedContent", "envelope", "verifiers") : spec.Problem;
        if (!proposed.IsOk)
            return proposed.Problem;
        var envelopeText = proposed.Value.String("envelope");
        if (!envelopeText.IsOk)
            return envelopeText.Problem;
        var envelopeJson = Encoding.UTF8.GetBytes(envelopeText.Value);
        var envelope = DsseEnvelope.Parse(envelopeJson);
        if (!envelope.IsOk)
            return RekorField.Malformed(proposed.Value.PathOf("envelope"), envelope.Problem.Message);
        if (envelope.Value.Signatures.Count > MaxSignatures)
            return RekorField.Malformed(proposed.Value.PathOf("envelope"), $"holds {envelope.Value.Signatures.Count} signatures, more than the {MaxSignatures} allowed");
        var keys = Verifiers(proposed.Value);
        if (!keys.IsOk)
            return keys.Problem;
        try
        {
            var pae = DsseEnvelope.Pae(envelope.Value.PayloadType, envelope.Value.Payload);
            var verified = new List<(byte[] Signature, string Verifier)>();
            for (var i = 0; i < envelope.Value.Signatures.Count; i++)
            {
                var sig = envelope.Value.Signatures[i].Sig;
                var key = keys.Value.FirstOrDefault(k => k.VerifyMessage(pae, sig));
                if (key is null)
                    return RekorField.SignatureInvalid($"{proposed.Value.PathOf("envelope")} (signatures[{i}])", $"verifies with none of the {keys.Value.Count} key(s) in {proposed.Value.PathOf("verifiers")}");
                verified.Add((sig, key.LoggedForm));
            }
            return Result<RekorEntry>.Ok(new RekorEntry(RekorDsseEntry.Kind, RekorDsseEntry.ApiVersion, RekorDsseEntry.CanonicalBody(envelopeJson, envelope.Value.Payload, verified)));
        }
        finally
        {
            foreach (var key in keys.Value)
                key.Dispose();
        }
    }

    private static Result<IReadOnlyList<RekorVerifierKey>> Verifiers(JsonFields proposed)
    {
        var items = proposed.Array("verifiers", MaxVerifiers);
        if (!items.IsOk)
            return items.Problem;
        var keys = new List<RekorVerifierKey>();
        for (var i = 0; i < items.Value.Count; i++)
        {
            var field = $"{proposed.PathOf("verifiers")}[{i}]";
            var item = items.Value[i];
            var key = item.ValueKind == JsonValueKind.String ? RekorVerifierKey.Parse(item.GetString()!, field) : RekorField.Malformed(field, "must be a string: base64 of a PEM key or certificate");
            if (!key.IsOk)
            {
                keys.ForEach(k => k.Dispose());
                return key.Problem;
            }
            keys.Add(key.Value);
        }
        return Result<IReadOnlyList<RekorVerifierKey>>.Ok(keys);
    }
}
