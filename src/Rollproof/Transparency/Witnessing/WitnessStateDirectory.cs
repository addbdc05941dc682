using System.Security.Cryptography;
using System.Text;
using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Transparency.Witnessing;

/// <summary>
/// Where a witness remembers, per log, the latest checkpoint it cosigned. <see cref="Witness"/> reads, checks and
/// records under one lock per origin, so the interface needs no compare-and-swap of its own.
/// </summary>
public interface IWitnessState
{
    /// <summary>The latest cosigned checkpoint note for <paramref name="origin"/>, or null if none was cosigned.</summary>
    Result<byte[]?> Read(string origin);

    /// <summary>Replaces the record for <paramref name="origin"/>; returns only once it is durable (or throws).</summary>
    void Record(string origin, byte[] cosignedCheckpoint);
}

/// <summary>
/// A witness's state in a directory it owns: one file per origin, named by the hex SHA-256 of the origin (as the
/// tlog-witness monitoring path names logs), holding the cosigned checkpoint note, replaced atomically and fsynced.
/// An exclusive lock file keeps a second witness process out, since two of them would each hold their own lock.
/// </summary>
public sealed class WitnessStateDirectory : IWitnessState, IDisposable
{
    private readonly FileStream _lock;

    private WitnessStateDirectory(string path, FileStream lockFile)
    {
        Path = path;
        _lock = lockFile;
    }

    public string Path { get; }

    public static Result<WitnessStateDirectory> Open(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            var lockFile = new FileStream(System.IO.Path.Combine(path, "witness.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return Result<WitnessStateDirectory>.Ok(new WitnessStateDirectory(path, lockFile));
        }
        catch (IOException e)
        {
            return Result<WitnessStateDirectory>.Fail(ErrorCodes.WitnessStateUnusable, $"witness state '{path}' cannot be opened, or another witness process holds it: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            return Result<WitnessStateDirectory>.Fail(ErrorCodes.WitnessStateUnusable, $"witness state '{path}' cannot be opened: {e.Message}");
        }
    }

    /// <summary>The lowercase hex SHA-256 of an origin: the file name here, and the tlog-witness monitoring path segment.</summary>
    public static string OriginHash(string origin) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(origin)));

    public Result<byte[]?> Read(string origin)
    {
        var file = FileFor(origin);
        try
        {
            if (!File.Exists(file))
                return Result<byte[]?>.Ok(null);
            if (new FileInfo(file).Length > SignedNote.MaxSize)
                return Result<byte[]?>.Fail(ErrorCodes.WitnessStateUnusable, $"witness state '{file}' is larger than a signed note can be");
            return Result<byte[]?>.Ok(File.ReadAllBytes(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Result<byte[]?>.Fail(ErrorCodes.WitnessStateUnusable, $"witness state '{file}' cannot be read: {e.Message}");
        }
    }

    public void Record(string origin, byte[] cosignedCheckpoint) => DurableFile.Replace(FileFor(origin), cosignedCheckpoint);

    public void Dispose() => _lock.Dispose();

    private string FileFor(string origin) => System.IO.Path.Combine(Path, OriginHash(origin) + ".checkpoint");
}
