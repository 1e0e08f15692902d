using ClinicianPortal.Shared.Governance.Validation;

namespace ClinicianPortal.Tests.Governance.Validation;

public sealed class RatingTests
{
    internal static Dictionary<string, int> AllScores(int score = 4) => Rubric.Dimensions.ToDictionary(d => d.Key, _ => score);

    [Fact]
    public void A_rating_with_every_dimension_scored_1_to_5_is_complete()
    {
        Assert.Empty(new Rating(AllScores(), "").Problems());
        Assert.Empty(new Rating(AllScores(1), "fine").Problems());
    }

    [Fact]
    public void A_missing_dimension_is_named_including_harm()
    {
        var scores = AllScores();
        scores.Remove(Rubric.Harm);
        scores.Remove("cited");
        var problem = Assert.Single(new Rating(scores, "").Problems());
        Assert.Contains("Cited", problem, StringComparison.Ordinal);
        Assert.Contains("Potential for harm", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Scores_outside_1_to_5_and_unknown_dimensions_are_refused()
    {
        var scores = AllScores();
        scores["accurate"] = 0;
        scores["charm"] = 3;
        var problems = new Rating(scores, "").Problems();
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("Accurate", StringComparison.Ordinal) && p.Contains('0', StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("charm", StringComparison.Ordinal));
    }

    [Fact]
    public void An_overlong_comment_is_refused()
    {
        Assert.Single(new Rating(AllScores(), new string('x', Rating.MaxCommentLength + 1)).Problems());
    }
}
