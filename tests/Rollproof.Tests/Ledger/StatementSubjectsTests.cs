using System.Text;
using Rollproof.Formats;
using Rollproof.Ledger;

namespace Rollproof.Tests.Ledger;

public sealed class StatementSubjectsTests
{
    [Theory]
    [InlineData("\"7\"")]
    [InlineData("null")]
    [InlineData("{}")]
    public void A_predicate_whose_log_index_is_not_a_number_names_nothing(string logIndex)
    {
        // A trusted signer's mistake (or worse) must not crash the decisions that read it: TryGetInt64 throws on a
        // value that is not a number.
        var digest = new string('a', 64);
        var json = "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"statement:7\",\"digest\":{\"sha256\":\"" + digest + "\"}}],"
            + "\"predicateType\":\"https://rollproof.dev/approval/v1\",\"predicate\":{\"subject\":{\"logIndex\":" + logIndex + ",\"digest\":\"sha256:" + digest + "\"}}}";
        var statement = InTotoStatement.Parse(Encoding.UTF8.GetBytes(json)).Value;

        Assert.Null(StatementSubjects.PredicateNames(statement));
    }
}
