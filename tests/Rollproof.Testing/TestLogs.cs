using System.Text;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Testing;

/// <summary>Builds logs on disk for tests.</summary>
public static class TestLogs
{
    public static byte[] Entry(int i) => Encoding.UTF8.GetBytes($"entry {i}: " + new string((char)('a' + (i % 26)), i % 50));

    /// <summary>Creates a log with <paramref name="count"/> entries appended in batches of <paramref name="batch"/>.</summary>
    public static async Task<Ed25519NoteSigner> CreateAsync(string dir, int count, int batch = 1000, IDedupIndex? dedup = null)
    {
        var signer = NoteKeys.GenerateEd25519("test.example/log");
        var storage = new FileSystemLogStorage(dir);
        LogWriter.Create(storage, signer).Value.ToString();
        await using var writer = LogWriter.Open(storage, signer, dedup).Value;
        for (var start = 0; start < count; start += batch)
        {
            var end = Math.Min(count, start + batch);
            await Task.WhenAll(Enumerable.Range(start, end - start).Select(i => writer.AppendAsync(Entry(i))));
        }
        return signer;
    }

    public static INoteVerifier Verifier(INoteSigner signer) => NoteKeys.ParseVerifierKey(signer.VerifierKey).Value;
}
