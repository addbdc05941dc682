namespace Rollproof.Common;

/// <summary>An expected failure: a stable code (documented in docs/error-codes.md) and a message that says what and where.</summary>
public sealed record Problem(string Code, string Message)
{
    public override string ToString() => $"{Code}: {Message}";
}

/// <summary>Thrown when an operation meets an expected failure it cannot return as a <see cref="Result{T}"/>.</summary>
public sealed class ProblemException(Problem problem) : Exception(problem.ToString())
{
    public Problem Problem { get; } = problem;
}
