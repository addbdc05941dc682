using System.Security.Cryptography;
using System.Text;
using Rollproof.Common;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Trust;

/// <summary>
/// A verifier's own copy of a log's <see cref="KindMap"/>, so that a command reads only the entries logged since the
/// last one instead of the whole log. It is kept in the verifier's own state (<see cref="VerifierHome"/>), never in
/// the store it describes: whoever can edit the store could otherwise hide an
/// entry from it. It is used only for a prefix the current checkpoint provably extends (a consistency proof from the
/// log's own tiles); anything else, or a file that does not read, is ignored and the map is made again.
/// </summary>
public static class KindMapCache
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("rollproof-kind-map/v3\n");

    public static string DefaultDirectory => Path.Combine(VerifierHome.Root, "kinds");

    /// <summary>The cache file of a log, named by its origin and key.</summary>
    public static string PathFor(LogConfig config) =>
        Path.Combine(DefaultDirectory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(config.Origin + "\n" + config.VerifierKey)))[..32] + ".map");

    /// <summary>
    /// The map of a prefix of the log under <paramref name="current"/>, or the empty map when there is none (or it
    /// does not read). A remembered tree that <paramref name="current"/> does not extend is a problem naming both: the
    /// log was rewound or forked since this verifier read it.
    /// </summary>
    public static Result<KindMap> Load(string path, LogDirectory log, Checkpoint current)
    {
        try
        {
            if (!File.Exists(path))
                return Result<KindMap>.Ok(KindMap.Empty);
            using var reader = new BinaryReader(new MemoryStream(File.ReadAllBytes(path)), Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                return Result<KindMap>.Ok(KindMap.Empty);
            var size = reader.ReadInt64();
            var root = reader.ReadBytes(32);
            if (size <= 0 || root.Length != 32)
                return Result<KindMap>.Ok(KindMap.Empty);
            if (!Extends(log, current, size, root))
                return Result<KindMap>.Fail(ErrorCodes.CheckpointInconsistent, $"the log {current.Origin} at size {current.Size} (root {Convert.ToBase64String(current.RootHash)}) does not extend the tree this verifier read before, at size {size} (root {Convert.ToBase64String(root)}): it was rewound, forked or altered since ({path})");
            var subtrees = new byte[reader.ReadInt32()][];
            for (var i = 0; i < subtrees.Length; i++)
                subtrees[i] = reader.ReadBytes(32);
            if (CompactRange.Of(size, subtrees) is not { } range || !range.Root().AsSpan().SequenceEqual(root))
                return Result<KindMap>.Ok(KindMap.Empty);
            var environments = new string[reader.ReadInt32()];
            for (var i = 0; i < environments.Length; i++)
                environments[i] = reader.ReadString();
            var entries = new Dictionary<string, List<(long, string?)>>(StringComparer.Ordinal);
            for (var kinds = reader.ReadInt32(); kinds > 0; kinds--)
            {
                var kind = reader.ReadString();
                var count = reader.ReadInt32();
                var list = entries[kind] = new List<(long, string?)>(count);
                for (; count > 0; count--)
                    list.Add((reader.ReadInt64(), reader.ReadInt32() is var environment and >= 0 ? environments[environment] : null));
                // A map's scans rely on each list being in log order and inside its tree.
                if (list.Where((e, i) => e.Item1 < 0 || e.Item1 >= size || (i > 0 && e.Item1 <= list[i - 1].Item1)).Any())
                    return Result<KindMap>.Ok(KindMap.Empty);
            }
            return Result<KindMap>.Ok(KindMap.Of(entries, range));
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or UnauthorizedAccessException or ArgumentException or OutOfMemoryException or IndexOutOfRangeException or OverflowException or FormatException)
        {
            return Result<KindMap>.Ok(KindMap.Empty);
        }
    }

    /// <summary>Keeps <paramref name="map"/> of the tree under <paramref name="checkpoint"/> (of the map's size), if the verifier's state can be written.</summary>
    public static void Save(string path, KindMap map, Checkpoint checkpoint)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(map.Size);
            writer.Write(checkpoint.RootHash);
            writer.Write(map.Range.Hashes.Count);
            foreach (var hash in map.Range.Hashes)
                writer.Write(hash);
            // Environments are few and named again and again: each is written once and referred to by number.
            var environments = map.Entries.Values.SelectMany(l => l).Select(e => e.Environment).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var numbers = environments.Select((name, i) => (name, i)).ToDictionary(e => e.name, e => e.i, StringComparer.Ordinal);
            writer.Write(environments.Count);
            foreach (var environment in environments)
                writer.Write(environment);
            writer.Write(map.Entries.Count);
            foreach (var (kind, list) in map.Entries)
            {
                writer.Write(kind);
                writer.Write(list.Count);
                foreach (var (index, environment) in list)
                {
                    writer.Write(index);
                    writer.Write(environment is null ? -1 : numbers[environment]);
                }
            }
        }
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            DurableFile.Replace(path, buffer.ToArray());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only time is lost: the next command reads the log again.
        }
    }

    // The remembered tree is a prefix of the current one: same root at the same size, or a consistency proof.
    private static bool Extends(LogDirectory log, Checkpoint current, long size, byte[] root)
    {
        if (size > current.Size)
            return false;
        if (size == current.Size)
            return root.AsSpan().SequenceEqual(current.RootHash);
        var proof = new ProofBuilder(new TileNodeSource(log.Storage, current.Size)).Consistency(size, current.Size);
        return proof.IsOk && MerkleProofs.VerifyConsistency(size, current.Size, root, current.RootHash, proof.Value) is null;
    }
}
