namespace Rollproof.Common;

/// <summary>"a" or "an" before a word only known at run time (a statement kind, a key type), so messages read "an approval".</summary>
public static class Article
{
    public static string For(string word) =>
        (word.Length > 0 && "aeiouAEIOU".Contains(word[0], StringComparison.Ordinal) ? "an " : "a ") + word;
}
