using System.Diagnostics.CodeAnalysis;

namespace Rollproof.Common;

/// <summary>The outcome of parsing or checking untrusted input: a value, or a <see cref="Problem"/> that says what is wrong.</summary>
public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, Problem? problem)
    {
        _value = value;
        Problem = problem;
    }

    public Problem? Problem { get; }

    [MemberNotNullWhen(false, nameof(Problem))]
    public bool IsOk => Problem is null;

    /// <summary>The value; throws <see cref="ProblemException"/> when this is a failure.</summary>
    public T Value => IsOk ? _value! : throw new ProblemException(Problem);

    public static Result<T> Ok(T value) => new(value, null);

    public static Result<T> Fail(string code, string message) => new(default, new Problem(code, message));

    public static Result<T> Fail(Problem problem) => new(default, problem);

    public static implicit operator Result<T>(Problem problem) => Fail(problem);

    public Result<TOther> Map<TOther>(Func<T, TOther> map) => IsOk ? Result<TOther>.Ok(map(_value!)) : Result<TOther>.Fail(Problem);
}
