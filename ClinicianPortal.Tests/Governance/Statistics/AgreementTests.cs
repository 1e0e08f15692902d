using ClinicianPortal.Shared.Governance.Statistics;

namespace ClinicianPortal.Tests.Governance.Statistics;

/// <summary>Weighted Cohen's κ and Krippendorff's α against hand-computed examples and Krippendorff's own published one.</summary>
public sealed class AgreementTests
{
    // Four items on a 1–3 scale: (1,1), (1,2), (2,2), (3,3).
    // Marginals: first rater 1: 2/4, 2: 1/4, 3: 1/4; second rater 1: 1/4, 2: 2/4, 3: 1/4.
    private static readonly (int, int)[] FourItems = [(1, 1), (1, 2), (2, 2), (3, 3)];

    [Fact]
    public void Linear_weighted_kappa_matches_hand_arithmetic()
    {
        // Linear weights |i − j| / 2. Observed: only (1,2) disagrees: 1/2 · 1/4 = 1/8.
        // Expected: one apart (w 1/2): (1,2) .5·.5 + (2,1) .25·.25 + (2,3) .25·.25 + (3,2) .25·.5 = .5 → .25;
        //           two apart (w 1): (1,3) .5·.25 + (3,1) .25·.25 = .1875. Total 7/16.
        // κ = 1 − (1/8) / (7/16) = 1 − 2/7 = 5/7.
        Assert.Equal(5.0 / 7, WeightedKappa.Compute(FourItems, KappaWeights.Linear, 1, 3)!.Value, 12);
    }

    [Fact]
    public void Quadratic_weighted_kappa_matches_hand_arithmetic()
    {
        // Quadratic weights (|i − j| / 2)²: 1/4 one apart, 1 two apart. Observed: 1/4 · 1/4 = 1/16.
        // Expected: .5 · 1/4 + .1875 · 1 = 5/16. κ = 1 − (1/16) / (5/16) = 4/5.
        Assert.Equal(0.8, WeightedKappa.Compute(FourItems, KappaWeights.Quadratic, 1, 3)!.Value, 12);
    }

    [Fact]
    public void Weighted_kappa_on_the_rubric_scale_counts_unused_scores_in_the_weights()
    {
        // Eight items on 1–5: five agreements, (1,2), (2,1), (5,3). Linear weights |i − j| / 4: observed (1/4 + 1/4 + 2/4) / 8 = 1/8;
        // marginals first 1:2, 2:2, 3:1, 4:1, 5:2; second 1:2, 2:2, 3:2, 4:1, 5:1 (of 8): expected Σ w·p·q = 13/32, κ = 1 − 4/13 = 9/13.
        // Quadratic: observed (1/16 + 1/16 + 4/16) / 8 = 3/64; expected 133/512; κ = 1 − 24/133 = 109/133.
        (int, int)[] pairs = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (1, 2), (2, 1), (5, 3)];
        Assert.Equal(9.0 / 13, WeightedKappa.Compute(pairs, KappaWeights.Linear)!.Value, 12);
        Assert.Equal(109.0 / 133, WeightedKappa.Compute(pairs, KappaWeights.Quadratic)!.Value, 12);
    }

    [Fact]
    public void Kappa_is_one_for_perfect_agreement_and_undefined_without_variation()
    {
        Assert.Equal(1, WeightedKappa.Compute([(1, 1), (3, 3), (5, 5)], KappaWeights.Quadratic)!.Value, 12);
        // Both raters gave 4 to everything: chance predicts no disagreement, so κ says nothing.
        Assert.Null(WeightedKappa.Compute([(4, 4), (4, 4), (4, 4)], KappaWeights.Quadratic));
        Assert.Null(WeightedKappa.Compute([], KappaWeights.Linear));
    }

    [Fact]
    public void Kappa_is_negative_when_raters_systematically_disagree()
    {
        // (1,5), (5,1): observed all at the maximum weight 1; expected 1/2 (half the chance pairs agree). κ = 1 − 1 / (1/2) = −1.
        Assert.Equal(-1, WeightedKappa.Compute([(1, 5), (5, 1)], KappaWeights.Quadratic)!.Value, 12);
    }

    [Fact]
    public void Kappa_refuses_scores_off_the_scale()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WeightedKappa.Compute([(0, 1)], KappaWeights.Linear));
    }

    // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers, twelve units, values 1–5,
    // with missing values. The paper gives α nominal = 0.743, ordinal = 0.815, interval = 0.849.
    private static readonly int?[][] KrippendorffExample =
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
        [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
    ];

    private static List<int[]> Units(int?[][] byObserver) =>
        [.. Enumerable.Range(0, byObserver[0].Length).Select(u => byObserver.Select(o => o[u]).OfType<int>().ToArray())];

    [Theory]
    [InlineData(AlphaMetric.Nominal, 0.743)]
    [InlineData(AlphaMetric.Ordinal, 0.815)]
    [InlineData(AlphaMetric.Interval, 0.849)]
    public void Alpha_reproduces_Krippendorffs_published_example(AlphaMetric metric, double published)
    {
        // Exactly: coincidence marginals n = (9, 13, 10, 5, 3), n.. = 40 (unit 12 has one value and is left out);
        // nominal 113/152, ordinal 108577/133160, interval 951/1120.
        var alpha = KrippendorffAlpha.Compute(Units(KrippendorffExample), metric)!.Value;
        Assert.Equal(published, Math.Round(alpha, 3));
    }

    [Fact]
    public void Ordinal_alpha_with_missing_ratings_matches_hand_arithmetic()
    {
        // Units (raters who rated each): {1, 2, 2}, {3, 3}, {1} (one value: not pairable, left out), {2, 3}.
        // Coincidences: unit 1 (m = 3) adds 1·2/2 = 1 to o12 and o21, 2·1/2 = 1 to o22; unit 2 adds 2 to o33; unit 4 adds 1 to o23 and o32.
        // o = [[0,1,0],[1,1,1],[0,1,2]], marginals n1 = 1, n2 = 3, n3 = 3, n = 7.
        // Ordinal δ²: δ12 = (1 + 3 − 4/2)² = 4, δ23 = (3 + 3 − 6/2)² = 9, δ13 = (1 + 3 + 3 − 4/2)² = 25.
        // Σ o·δ² = 2·1·4 + 2·1·9 = 26; Σ n_c·n_k·δ² = 2·(1·3·4 + 3·3·9 + 1·3·25) = 336.
        // α = 1 − (n − 1)·26/336 = 1 − 156/336 = 15/28.
        int[][] units = [[1, 2, 2], [3, 3], [1], [2, 3]];
        Assert.Equal(15.0 / 28, KrippendorffAlpha.Compute(units, AlphaMetric.Ordinal)!.Value, 12);
        // Interval δ² = (c − k)²: Σ o·δ² = 2·1·1 + 2·1·1 = 4; Σ n·n·δ² = 2·(3·1 + 9·1 + 3·4) = 48; α = 1 − 6·4/48 = 1/2.
        Assert.Equal(0.5, KrippendorffAlpha.Compute(units, AlphaMetric.Interval)!.Value, 12);
    }

    [Fact]
    public void Alpha_of_two_values_is_the_same_for_every_metric()
    {
        // {1,1}, {2,2}, {1,2}: o11 = 2, o22 = 2, o12 = o21 = 1; n1 = n2 = 3, n = 6. Ordinal δ12 = (6 − 3)² = 9.
        // α = 1 − 5 · (2·9) / (2·3·3·9) = 1 − 90/162 = 4/9 (nominal: 1 − 5·2/18, the same).
        int[][] units = [[1, 1], [2, 2], [1, 2]];
        Assert.Equal(4.0 / 9, KrippendorffAlpha.Compute(units, AlphaMetric.Ordinal)!.Value, 12);
        Assert.Equal(4.0 / 9, KrippendorffAlpha.Compute(units, AlphaMetric.Nominal)!.Value, 12);
    }

    [Fact]
    public void Alpha_is_one_for_perfect_agreement_with_variation()
    {
        int[][] units = [[1, 1, 1], [3, 3], [5, 5, 5], [2, 2]];
        Assert.Equal(1, KrippendorffAlpha.Compute(units, AlphaMetric.Ordinal)!.Value, 12);
    }

    [Fact]
    public void Alpha_is_undefined_when_every_value_is_the_same()
    {
        int[][] units = [[4, 4], [4, 4, 4], [4, 4]];
        Assert.Null(KrippendorffAlpha.Compute(units, AlphaMetric.Ordinal));
    }

    [Fact]
    public void Alpha_is_undefined_with_one_rater_per_unit()
    {
        // One rater (or only one rating per unit): nothing is pairable, agreement cannot be measured.
        int[][] units = [[1], [3], [5]];
        Assert.Null(KrippendorffAlpha.Compute(units, AlphaMetric.Ordinal));
        Assert.Null(KrippendorffAlpha.Compute([], AlphaMetric.Ordinal));
    }

    [Fact]
    public void With_two_raters_and_no_missing_data_alpha_is_close_to_quadratic_kappa()
    {
        // Interval α and quadratic κ differ only in how chance is estimated (pooled vs per-rater marginals) and by the small-sample
        // factor (n − 1)/n: on the eight-item example above κ = 0.8195 and α must be near it, not equal.
        (int First, int Second)[] pairs = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (1, 2), (2, 1), (5, 3)];
        var alpha = KrippendorffAlpha.Compute(pairs.Select(p => new[] { p.First, p.Second }).ToList(), AlphaMetric.Interval)!.Value;
        var kappa = WeightedKappa.Compute(pairs, KappaWeights.Quadratic)!.Value;
        Assert.InRange(alpha - kappa, -0.05, 0.05);
        Assert.NotEqual(kappa, alpha, 6);
    }
}
