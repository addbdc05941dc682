namespace Rollproof.Fuzz;

/// <summary>What a target's inputs look like, so the mutator can also change them as that structure, not only as bytes.</summary>
public enum InputShape
{
    /// <summary>Binary (tiles, entry bundles): byte-level mutations only.</summary>
    Bytes,

    /// <summary>Line-oriented text (signed notes, checkpoints, receipts, tlog policies, keys).</summary>
    Lines,

    /// <summary>JSON documents: also mutated as a tree.</summary>
    Json,

    /// <summary>YAML documents: also mutated line by line, nesting included.</summary>
    Yaml,

    /// <summary>Zip archives: also mutated file by file and re-zipped.</summary>
    Zip,
}

/// <summary>
/// One parser under fuzzing: its seeds (read at run time from the shared test vectors, the docs and what the code
/// itself writes) and the call that feeds it one input. Any exception escaping <see cref="Run"/> is a crash: every
/// target calls a parser that reports bad input as a Result.
/// </summary>
public sealed record FuzzTarget(string Name, string Parser, InputShape Shape, Func<IReadOnlyList<byte[]>> Seeds, Action<byte[]> Run);
