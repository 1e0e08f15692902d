using ClinicianPortal.Shared.Governance.Statistics;

namespace ClinicianPortal.Tests.Governance.Statistics;

/// <summary>Means with t intervals, proportions with Wilson intervals and the t distribution, against hand-computed and table values.</summary>
public sealed class EstimatesTests
{
    // Two-sided 95% critical values of Student's t, as printed in any statistics table.
    [Theory]
    [InlineData(1, 12.7062)]
    [InlineData(2, 4.3027)]
    [InlineData(4, 2.7764)]
    [InlineData(9, 2.2622)]
    [InlineData(29, 2.0452)]
    [InlineData(1000, 1.9623)]
    public void The_t_quantile_matches_the_printed_table(int degreesOfFreedom, double expected)
    {
        Assert.Equal(expected, StudentT.Quantile(0.975, degreesOfFreedom), 4);
        Assert.Equal(-expected, StudentT.Quantile(0.025, degreesOfFreedom), 4);
    }

    [Fact]
    public void The_t_distribution_is_symmetric_and_centred_on_zero()
    {
        Assert.Equal(0.5, StudentT.Cdf(0, 3), 12);
        Assert.Equal(1, StudentT.Cdf(2.5, 7) + StudentT.Cdf(-2.5, 7), 12);
        // t = 1 with one degree of freedom (Cauchy): 1/2 + atan(1)/π = 0.75.
        Assert.Equal(0.75, StudentT.Cdf(1, 1), 10);
    }

    [Fact]
    public void A_mean_of_three_scores_gets_a_t_interval()
    {
        // 3, 4, 5: mean 4; squared deviations 1 + 0 + 1 = 2, s² = 2 / (3 − 1) = 1, s = 1;
        // half-width = t(0.975, 2) · s / √3 = 4.302653 · 1 / 1.732051 = 2.484138 → [1.515862, 6.484138].
        var estimate = MeanEstimate.Of([3, 4, 5])!;
        Assert.Equal(3, estimate.Count);
        Assert.Equal(4, estimate.Mean, 12);
        Assert.Equal(1, estimate.StandardDeviation!.Value, 12);
        Assert.Equal(1.515862, estimate.Confidence95!.Value.Lower, 5);
        Assert.Equal(6.484138, estimate.Confidence95!.Value.Upper, 5);
    }

    [Fact]
    public void A_larger_sample_gets_a_narrower_interval()
    {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 40 / 8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32, s² = 32 / 7, s = 2.138090;
        // half-width = t(0.975, 7) · s / √8 = 2.364624 · 2.138090 / 2.828427 = 1.787488 → [3.212512, 6.787488].
        var estimate = MeanEstimate.Of([2, 4, 4, 4, 5, 5, 7, 9])!;
        Assert.Equal(5, estimate.Mean, 12);
        Assert.Equal(2.138090, estimate.StandardDeviation!.Value, 5);
        Assert.Equal(3.212512, estimate.Confidence95!.Value.Lower, 5);
        Assert.Equal(6.787488, estimate.Confidence95!.Value.Upper, 5);
    }

    [Fact]
    public void One_value_has_a_mean_but_no_interval_and_no_values_have_no_estimate()
    {
        var one = MeanEstimate.Of([4])!;
        Assert.Equal(4, one.Mean);
        Assert.Null(one.StandardDeviation);
        Assert.Null(one.Confidence95);
        Assert.Null(MeanEstimate.Of([]));
    }

    [Fact]
    public void Identical_values_have_a_zero_width_interval()
    {
        var estimate = MeanEstimate.Of([5, 5, 5, 5])!;
        Assert.Equal(new Interval(5, 5), estimate.Confidence95);
    }

    [Fact]
    public void The_Wilson_interval_of_none_in_ten_is_not_zero_width()
    {
        // p = 0, n = 10, z² = 3.841459: centre = (0 + z²/2n) / (1 + z²/n) = 0.192073 / 1.384146 = 0.138765;
        // half = z / (1 + z²/n) · √(0 + z²/4n²) = 1.416009 · 0.097998 = 0.138765 → [0, 0.277530].
        var estimate = ProportionEstimate.Of(0, 10)!;
        Assert.Equal(0, estimate.Rate);
        Assert.Equal(0, estimate.Confidence95.Lower, 6);
        Assert.Equal(0.277530, estimate.Confidence95.Upper, 5);
    }

    [Fact]
    public void The_Wilson_interval_of_two_in_ten_matches_hand_arithmetic()
    {
        // p = 0.2, n = 10: centre = (0.2 + 0.192073) / 1.384146 = 0.283260;
        // half = 1.416009 · √(0.016 + 0.009604) = 1.416009 · 0.160011 = 0.226578 → [0.056682, 0.509838].
        var estimate = ProportionEstimate.Of(2, 10)!;
        Assert.Equal(0.2, estimate.Rate, 12);
        Assert.Equal(0.056682, estimate.Confidence95.Lower, 5);
        Assert.Equal(0.509838, estimate.Confidence95.Upper, 5);
    }

    [Fact]
    public void A_proportion_of_no_trials_is_undefined_and_an_impossible_one_is_refused()
    {
        Assert.Null(ProportionEstimate.Of(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProportionEstimate.Of(3, 2));
    }
}
