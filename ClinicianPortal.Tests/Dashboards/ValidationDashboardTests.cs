using ClinicianPortal.Dashboards;
using ClinicianPortal.Shared.Governance.Validation;

namespace ClinicianPortal.Tests.Dashboards;

/// <summary>The dashboard's summary rules, in memory: what counts as rated, which outputs κ and α rest on, undated ratings.</summary>
public sealed class ValidationDashboardTests
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private static RatingRow Rating(long item, string rater, int minutes, int accurate, int harm) =>
        new(item, rater, Morning.AddMinutes(minutes), new Dictionary<string, int> { ["accurate"] = accurate, [Rubric.Harm] = harm });

    [Fact]
    public void Kappa_pairs_the_first_and_second_rating_in_time_and_leaves_out_outputs_with_three()
    {
        var dashboard = ValidationDashboard.From(new DashboardQuery("m", "1"), 2, 3,
        [
            // Output 1 rated by b first, then a: the pair is (b's 2, a's 4), whatever the rater names.
            Rating(1, "a", 5, 4, 1), Rating(1, "b", 1, 2, 1),
            Rating(2, "a", 1, 5, 1), Rating(2, "b", 2, 3, 1),
            // Three ratings: in α, not in κ.
            Rating(3, "a", 1, 1, 1), Rating(3, "b", 2, 1, 1), Rating(3, "c", 3, 2, 1),
        ], []);
        var accurate = dashboard.Dimensions.Single(d => d.Dimension.Key == "accurate");

        // Pairs (2, 4), (5, 3), quadratic weights on 1–5: observed (4/16 + 4/16) / 2 = 1/4;
        // marginals first 2: .5, 5: .5; second 4: .5, 3: .5: expected .25 · (4 + 1 + 1 + 4)/16 = 10/64; κ = 1 − 16/10 = −0.6.
        Assert.Equal(-0.6, accurate.Kappa!.Value, 10);
        Assert.Equal(2, accurate.KappaOutputs);
        Assert.Equal(3, accurate.AlphaOutputs);
    }

    [Fact]
    public void Only_distinct_validators_make_an_output_fully_rated()
    {
        var dashboard = ValidationDashboard.From(new DashboardQuery("m", "1"), 2, 2,
            [Rating(1, "a", 1, 4, 1), Rating(1, "b", 2, 4, 1), Rating(2, "a", 1, 3, 1)], []);
        Assert.Equal((2, 1, 2, 3), (dashboard.RatedOutputs, dashboard.FullyRatedOutputs, dashboard.Raters, dashboard.Ratings));
    }

    [Fact]
    public void A_rating_without_a_readable_time_counts_everywhere_but_the_trend()
    {
        var undated = new RatingRow(1, "b", null, new Dictionary<string, int> { ["accurate"] = 2 });
        var dashboard = ValidationDashboard.From(new DashboardQuery("m", "1"), 2, 1, [Rating(1, "a", 1, 4, 1), undated], []);

        Assert.Equal(3, dashboard.Dimensions.Single(d => d.Dimension.Key == "accurate").Mean!.Mean, 10);
        var day = Assert.Single(dashboard.Trend);
        Assert.Equal(1, day.Ratings);
        Assert.Equal(4, day.Quality);
    }

    [Fact]
    public void A_harm_score_below_the_threshold_is_not_a_flag()
    {
        var dashboard = ValidationDashboard.From(new DashboardQuery("m", "1"), 2, 2,
            [Rating(1, "a", 1, 4, Rubric.HarmFlagAtOrAbove - 1), Rating(2, "a", 2, 4, Rubric.HarmFlagAtOrAbove)], []);
        Assert.Equal((1, 2, 1), (dashboard.Harm.FlaggedOutputs, dashboard.Harm.ScoredOutputs, dashboard.Harm.FlagRatings));
        Assert.Equal(0.5, dashboard.Harm.Rate!.Rate);
    }
}
