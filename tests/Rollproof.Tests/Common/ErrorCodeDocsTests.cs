using System.Reflection;
using Rollproof.Common;
using Rollproof.Testing;

namespace Rollproof.Tests.Common;

/// <summary>Every error code a user can meet is explained in docs/error-codes.md, under its own name, once.</summary>
public class ErrorCodeDocsTests
{
    [Fact]
    public void Every_code_is_documented_with_its_name_and_codes_are_unique()
    {
        var docs = File.ReadAllLines(Path.Combine(SharedFiles.RepositoryRoot, "docs", "error-codes.md"));
        var codes = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (Name: f.Name, Code: (string)f.GetValue(null)!))
            .ToList();

        Assert.Empty(codes.GroupBy(c => c.Code).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Empty(codes.Where(c => !docs.Any(line => line.StartsWith($"| {c.Code} | {c.Name} | ", StringComparison.Ordinal))).Select(c => $"{c.Code} {c.Name}"));
    }
}
