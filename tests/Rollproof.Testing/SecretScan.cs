using System.IO.Compression;
using System.Text;

namespace Rollproof.Testing;

/// <summary>
/// Looks for a secret in every file under some folders and in every entry of every zip among them (an evidence
/// package, say), as written and as base64 at each of its three alignments (DSSE envelopes carry their statements
/// base64-encoded), so a secret stored inside a signed statement is found too.
/// </summary>
public static class SecretScan
{
    /// <summary>The files (and zip entries, as <c>ZIP!ENTRY</c>) holding the secret in any of its forms; empty when none does.</summary>
    public static List<string> Find(string secret, params string[] roots)
    {
        var forms = Forms(secret);
        var found = new List<string>();
        foreach (var file in roots.SelectMany(root => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)))
        {
            var bytes = File.ReadAllBytes(file);
            if (Holds(bytes, forms))
                found.Add(file);
            if (bytes.AsSpan().StartsWith("PK\u0003\u0004"u8))
            {
                using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
                foreach (var entry in zip.Entries)
                {
                    using var content = new MemoryStream();
                    using (var stream = entry.Open())
                        stream.CopyTo(content);
                    if (Holds(content.ToArray(), forms))
                        found.Add($"{file}!{entry.FullName}");
                }
            }
        }
        return found;
    }

    // The secret's bytes, and the part of its base64 encoding that does not depend on the bytes around it, for each
    // of the three positions it can take relative to base64's 3-byte groups.
    private static List<byte[]> Forms(string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var forms = new List<byte[]> { plain };
        for (var offset = 0; offset < 3; offset++)
        {
            var encoded = Convert.ToBase64String([.. new byte[offset], .. plain]);
            var start = (offset * 8 + 5) / 6;
            forms.Add(Encoding.ASCII.GetBytes(encoded[start..^4]));
        }
        return forms;
    }

    private static bool Holds(byte[] bytes, List<byte[]> forms) => forms.Any(form => bytes.AsSpan().IndexOf(form) >= 0);
}
