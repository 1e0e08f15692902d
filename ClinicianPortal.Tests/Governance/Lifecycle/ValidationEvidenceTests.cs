using ClinicianPortal.Shared.Governance.Lifecycle;
using ClinicianPortal.Shared.Governance.Validation;

namespace ClinicianPortal.Tests.Governance.Lifecycle;

public sealed class ValidationEvidenceTests
{
    /// <summary>Every rubric dimension scored <paramref name="score"/>, harm scored <paramref name="harm"/>.</summary>
    private static IEnumerable<RatedScore> Rating(long item, long rating, int score, int harm = 1) =>
        Rubric.Dimensions.Select(d => new RatedScore(item, rating, d.Key, d.Key == Rubric.Harm ? harm : score));

    private static readonly PromotionThresholds Pilot = new() { MinimumRatedOutputs = 2, MinimumMeanScore = 3.5, MaximumHarmFlagRate = 0.25 };

    [Fact]
    public void Only_outputs_rated_by_two_validators_count_and_means_are_over_their_ratings()
    {
        var scores = Rating(1, 10, 5).Concat(Rating(1, 11, 3)) // item 1: two ratings, mean 4
            .Concat(Rating(2, 12, 4)).Concat(Rating(2, 13, 4)).Concat(Rating(2, 14, 1)) // item 2: three ratings, mean 3
            .Concat(Rating(3, 15, 1)); // item 3: one rating, does not count

        var evidence = ValidationEvidence.From(4, scores, ratersRequired: 2);

        Assert.Equal((4, 2, 5), (evidence.SampledOutputs, evidence.RatedOutputs, evidence.Ratings));
        Assert.Equal((5 + 3 + 4 + 4 + 1) / 5.0, evidence.MeanScores["accurate"], 10);
        Assert.Equal(0, evidence.HarmFlaggedOutputs);
    }

    [Fact]
    public void With_three_raters_required_only_outputs_rated_three_times_count_and_the_shortfall_says_so()
    {
        var scores = Rating(1, 10, 5).Concat(Rating(1, 11, 3)) // item 1: two ratings, not enough now
            .Concat(Rating(2, 12, 4)).Concat(Rating(2, 13, 4)).Concat(Rating(2, 14, 1)); // item 2: three ratings, mean 3

        var evidence = ValidationEvidence.From(2, scores, ratersRequired: 3);

        Assert.Equal((1, 3), (evidence.RatedOutputs, evidence.Ratings));
        Assert.Equal(3.0, evidence.MeanScores["accurate"], 10);
        Assert.Contains("rated outputs (each by ≥ 3 validators): 1, minimum 2", evidence.Shortfalls(new PromotionThresholds { MinimumRatedOutputs = 2 }));
    }

    [Fact]
    public void An_output_flagged_for_harm_by_any_validator_counts_once_in_the_harm_flag_rate()
    {
        var scores = Rating(1, 10, 5, harm: 4).Concat(Rating(1, 11, 5, harm: 3)) // flagged by both: one output
            .Concat(Rating(2, 12, 5, harm: 2)).Concat(Rating(2, 13, 5, harm: 1)) // harm 2 is below the flag
            .Concat(Rating(3, 14, 5)).Concat(Rating(3, 15, 5, harm: Rubric.HarmFlagAtOrAbove));

        var evidence = ValidationEvidence.From(3, scores, ratersRequired: 2);

        Assert.Equal(2, evidence.HarmFlaggedOutputs);
        Assert.Equal(2 / 3.0, evidence.HarmFlagRate, 10);
    }

    [Fact]
    public void Shortfalls_name_each_failed_threshold_with_its_numbers()
    {
        var scores = Rating(1, 10, 4, harm: 5).Concat(Rating(1, 11, 2)); // one output, mean 3, harm flagged
        var thresholds = new PromotionThresholds
        {
            MinimumRatedOutputs = 2, MinimumMeanScore = 2.5, MaximumHarmFlagRate = 0.25,
            MinimumMeanScores = new() { ["accurate"] = 4.5 },
        };

        var shortfalls = ValidationEvidence.From(1, scores, ratersRequired: 2).Shortfalls(thresholds);

        Assert.Equal(
        [
            "rated outputs (each by ≥ 2 validators): 1, minimum 2",
            "mean Accurate: 3.00, minimum 4.50",
            "harm flags: 1 of 1 rated outputs (100.0 %), maximum 25.0 %",
        ], shortfalls);
    }

    [Fact]
    public void Evidence_that_meets_every_threshold_has_no_shortfall_and_no_ratings_fail_every_dimension()
    {
        var good = ValidationEvidence.From(2, Rating(1, 10, 4).Concat(Rating(1, 11, 4)).Concat(Rating(2, 12, 5)).Concat(Rating(2, 13, 3)), ratersRequired: 2);
        Assert.Empty(good.Shortfalls(Pilot));

        var none = ValidationEvidence.None.Shortfalls(Pilot);
        Assert.Equal(1 + Rubric.Dimensions.Count(d => d.HigherIsBetter), none.Count);
        Assert.Contains("mean Cited: no scores, minimum 3.50", none);
    }

    [Theory]
    [InlineData(LifecycleStatus.Shadow, LifecycleStatus.Pilot, true)]
    [InlineData(LifecycleStatus.Pilot, LifecycleStatus.Approved, true)]
    [InlineData(LifecycleStatus.Shadow, LifecycleStatus.Retired, true)]
    [InlineData(LifecycleStatus.Pilot, LifecycleStatus.Retired, true)]
    [InlineData(LifecycleStatus.Approved, LifecycleStatus.Retired, true)]
    [InlineData(LifecycleStatus.Shadow, LifecycleStatus.Approved, false)]
    [InlineData(LifecycleStatus.Approved, LifecycleStatus.Pilot, false)]
    [InlineData(LifecycleStatus.Retired, LifecycleStatus.Shadow, false)]
    [InlineData(LifecycleStatus.Retired, LifecycleStatus.Retired, false)]
    [InlineData(LifecycleStatus.Pilot, LifecycleStatus.Shadow, false)]
    public void Versions_move_shadow_to_pilot_to_approved_and_retire_from_any(LifecycleStatus from, LifecycleStatus to, bool allowed) =>
        Assert.Equal(allowed, LifecycleTransitions.Allowed(from, to));
}
