using Rollproof.Common;

namespace Rollproof.Tests.Common;

/// <summary>Messages that name a statement kind or key type at run time read "an approval", not "a approval".</summary>
public sealed class ArticleTests
{
    [Theory]
    [InlineData("approval", "an approval")]
    [InlineData("execution", "an execution")]
    [InlineData("Ed25519", "an Ed25519")]
    [InlineData("release", "a release")]
    [InlineData("key-change", "a key-change")]
    [InlineData("rollback-request", "a rollback-request")]
    public void The_article_follows_the_words_first_letter(string word, string expected) => Assert.Equal(expected, Article.For(word));
}
