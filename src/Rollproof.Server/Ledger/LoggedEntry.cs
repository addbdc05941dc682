using System.Text.Json;
using Rollproof.Common;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Server.Ledger;

/// <summary>
/// One log entry with what proves it: its bytes (base64; <paramref name="Envelope"/> is the same bytes as JSON when
/// they are a DSSE envelope), the statement if it counts or why it is set aside, and a C2SP tlog-proof receipt
/// (inclusion proof and signed checkpoint of <paramref name="TreeSize"/> entries) that verifies offline.
/// </summary>
public sealed record LoggedEntry(long TreeSize, string Trust, long LogIndex, string Kind, LedgerStatement? Statement, SetAsideEntry? SetAside, string Entry, JsonElement? Envelope, string Receipt)
{
    public static Result<LoggedEntry> Read(LedgerSnapshot snapshot, long index)
    {
        var view = snapshot.View;
        var judged = view.Entry(index);
        if (!judged.IsOk)
            return judged.Problem;
        var entry = judged.Value;
        var bytes = LogEntries.Read(view.Store.Log.Storage, index, view.Size);
        if (!bytes.IsOk)
            return bytes.Problem;
        // The bytes served are the ones proven and judged above, or nothing is served.
        if (Sha256Digest.Of(bytes.Value).ToString() != entry.Digest)
            return Result<LoggedEntry>.Fail(ErrorCodes.EntryHashMismatch, $"log entry {index} changed while it was read");
        var proof = new ProofBuilder(new TileNodeSource(view.Store.Log.Storage, view.Size)).Inclusion(index, view.Size);
        if (!proof.IsOk)
            return proof.Problem;
        LedgerStatement? statement = null;
        if (entry.Counts)
        {
            var facts = StatementFacts.Of(view, entry);
            if (!facts.IsOk)
                return facts.Problem;
            statement = LedgerStatement.Of(entry, facts.Value);
        }
        var receipt = new TlogProof(index, proof.Value, snapshot.Checkpoint.Note.ToBytes()).Format();
        return Result<LoggedEntry>.Ok(new LoggedEntry(view.Size, LedgerTrust.Statement, index, entry.Kind, statement,
            entry.Counts ? null : SetAsideEntry.Of(entry), Convert.ToBase64String(bytes.Value), AsJson(bytes.Value), receipt));
    }

    private static JsonElement? AsJson(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
