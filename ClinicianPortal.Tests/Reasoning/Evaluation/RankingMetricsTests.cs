using ClinicianPortal.Shared.Reasoning.Evaluation;

namespace ClinicianPortal.Tests.Reasoning.Evaluation;

/// <summary>Metrics against examples computed by hand.</summary>
public sealed class RankingMetricsTests
{
    private static ScoredCase Case(string? gold, params (string, double)[] ranking) => new(ranking, gold);

    private static readonly (string, double)[] Ranked = [("a", 0.5), ("b", 0.2), ("c", 0.1), ("d", 0.05)];

    [Fact]
    public void Top_k_accuracy_counts_the_gold_condition_within_the_first_k_and_unmatched_gold_as_a_miss()
    {
        ScoredCase[] cases = [Case("a", Ranked), Case("c", Ranked), Case("d", Ranked), Case(null, Ranked)];

        Assert.Equal(25.0, RankingMetrics.TopKAccuracy(cases, 1)); // a
        Assert.Equal(50.0, RankingMetrics.TopKAccuracy(cases, 3)); // a, c
        Assert.Equal(75.0, RankingMetrics.TopKAccuracy(cases, 10)); // a, c, d; the unmatched label never scores
        Assert.Equal(0.0, RankingMetrics.TopKAccuracy([], 1));
    }

    [Fact]
    public void GTPA_also_needs_the_gold_condition_predicted_above_one_percent()
    {
        ScoredCase confident = Case("a", ("a", 0.9), ("b", 0.1));
        ScoredCase faint = Case("b", ("a", 0.995), ("b", 0.005));

        Assert.True(RankingMetrics.GroundTruthInTopK(confident, 1));
        Assert.True(RankingMetrics.InTopK(faint, 2));
        Assert.False(RankingMetrics.GroundTruthInTopK(faint, 2));
        Assert.Equal(50.0, RankingMetrics.GroundTruthPathologyAccuracy([confident, faint], 5));
    }

    [Fact]
    public void Differential_recall_precision_and_F1_at_5_match_a_hand_computed_case()
    {
        // Y without e (0.01 is not above the threshold): a, b, c, d. Top-5 predictions above 0.01: a, x, c, y, b.
        // Shared: a, c, b → DDR = 3/4, DDP = 3/5, DDF1 = 2·0.75·0.6 / 1.35 = 2/3.
        var scored = new ScoredCase(
            [("a", 0.6), ("x", 0.2), ("c", 0.1), ("y", 0.05), ("b", 0.03), ("d", 0.02)], "a",
            [("a", 0.5), ("b", 0.3), ("c", 0.15), ("d", 0.04), ("e", 0.01)]);

        var score = RankingMetrics.Differential(scored, 5)!.Value;

        Assert.Equal(0.75, score.Recall, 12);
        Assert.Equal(0.6, score.Precision, 12);
        Assert.Equal(2.0 / 3, score.F1, 12);
    }

    [Fact]
    public void Predictions_at_or_below_one_percent_are_not_part_of_the_predicted_differential()
    {
        // Ŷ5 = {a}; Y5 = {a, b}: DDR 1/2, DDP 1/1, DDF1 2/3.
        var overconfident = new ScoredCase([("a", 0.985), ("b", 0.01), ("c", 0.005)], "a", [("a", 0.6), ("b", 0.4)]);
        // Nothing above the threshold at all: DDP is 0 (not a division by zero), and so is F1.
        var flat = new ScoredCase([("a", 0.01), ("b", 0.01)], "a", [("a", 0.6), ("b", 0.4)]);

        Assert.Equal(new DifferentialScore(0.5, 1.0, 2.0 / 3), RankingMetrics.Differential(overconfident, 5));
        Assert.Equal(new DifferentialScore(0, 0, 0), RankingMetrics.Differential(flat, 5));
    }

    [Fact]
    public void The_gold_differential_is_cut_to_its_k_most_probable_entries()
    {
        // k = 1: Y1 = {b} (most probable), Ŷ1 = {a} → 0 shared although a is in Y.
        var scored = new ScoredCase([("a", 0.7), ("b", 0.3)], "a", [("a", 0.3), ("b", 0.7)]);

        Assert.Equal(new DifferentialScore(0, 0, 0), RankingMetrics.Differential(scored, 1));
        Assert.Equal(new DifferentialScore(1, 1, 1), RankingMetrics.Differential(scored, 2));
    }

    [Fact]
    public void Mean_differential_averages_per_patient_in_percent_and_skips_cases_without_a_gold_differential()
    {
        ScoredCase[] cases =
        [
            new([("a", 0.6), ("b", 0.4)], "a", [("a", 0.6), ("b", 0.4)]),   // 1, 1, 1
            new([("a", 0.6), ("c", 0.4)], "a", [("a", 0.6), ("b", 0.4)]),   // 1/2, 1/2, 1/2
            new([("a", 1.0)], "a"),                                          // no differential: skipped
        ];

        var mean = RankingMetrics.MeanDifferential(cases, 5)!.Value;

        Assert.Equal(75.0, mean.Recall, 9);
        Assert.Equal(75.0, mean.Precision, 9);
        Assert.Equal(75.0, mean.F1, 9);
        Assert.Null(RankingMetrics.MeanDifferential([cases[2]], 5));
    }
}
