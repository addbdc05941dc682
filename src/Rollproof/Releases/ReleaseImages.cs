using Rollproof.Common;
using Rollproof.Formats;

namespace Rollproof.Releases;

/// <summary>How a release's container images sit among its subjects: each image is the subject of its name, by the same digest.</summary>
public static class ReleaseImages
{
    /// <summary>A statement whose image list and subjects disagree is refused: a runbook would deploy one and the verifier check another.</summary>
    public static Problem? Check(InTotoStatement statement, ReleasePredicate predicate)
    {
        var images = predicate.Images ?? [];
        foreach (var image in images)
        {
            var subjects = statement.Subjects.Where(s => s.Name == image.Name).ToList();
            if (subjects is not [var subject] || "sha256:" + subject.Digest.GetValueOrDefault("sha256", "") != image.Digest)
                return new Problem(ErrorCodes.ImageMismatch, $"image {image.Name} ({image.Reference}) is not the statement's one subject of that name with that digest");
        }
        return images.Select(i => i.Name).Distinct(StringComparer.Ordinal).Count() == images.Count
            ? null
            : new Problem(ErrorCodes.ImageMismatch, "the statement names one image twice");
    }

    /// <summary>The subjects that are files, not images: what <c>{{target.artifact}}</c> and deploys read.</summary>
    public static IReadOnlyList<Subject> Files(InTotoStatement statement, ReleasePredicate predicate)
    {
        var images = (predicate.Images ?? []).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        return [.. statement.Subjects.Where(s => !images.Contains(s.Name))];
    }
}
