namespace Rollproof.Common;

/// <summary>Which of a program's streams a line came from.</summary>
public enum OutputChannel
{
    Stdout,
    Stderr,
}
