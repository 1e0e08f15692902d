namespace ClinicianPortal.Shared.Governance.Validation;

/// <summary>One validator's rating of one item: a score 1–5 on every rubric dimension, and a free-text comment.</summary>
public sealed record Rating(IReadOnlyDictionary<string, int> Scores, string Comment)
{
    /// <summary>What is wrong with the rating, in words a validator can act on; empty when it is complete.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var missing = Rubric.Dimensions.Where(d => !Scores.ContainsKey(d.Key)).Select(d => d.Name).ToList();
        if (missing.Count > 0) problems.Add($"Rate every dimension: {string.Join(", ", missing)} still need a score.");
        foreach (var (key, score) in Scores)
        {
            if (Rubric.Find(key) is not { } dimension) problems.Add($"'{key}' is not a rubric dimension.");
            else if (score is < 1 or > 5) problems.Add($"{dimension.Name}: a score is 1 to 5, not {score}.");
        }
        if (Comment.Length > MaxCommentLength) problems.Add($"The comment is {Comment.Length:N0} characters; at most {MaxCommentLength:N0} are kept.");
        return problems;
    }

    public const int MaxCommentLength = 4000;
}
