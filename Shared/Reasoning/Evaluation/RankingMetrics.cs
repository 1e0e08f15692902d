namespace ClinicianPortal.Shared.Reasoning.Evaluation;

/// <summary>
/// One scored case: the model's ranking (condition ids, best first, with probabilities), the gold
/// diagnosis matched to a knowledge-base condition (null when the gold label matches none: a miss), and,
/// for DDXPlus, the dataset's own differential (condition ids with probabilities).
/// </summary>
public sealed record ScoredCase(
    IReadOnlyList<(string ConditionId, double Probability)> Ranking,
    string? GoldConditionId,
    IReadOnlyList<(string ConditionId, double Probability)>? GoldDifferential = null);

/// <summary>Differential-diagnosis recall, precision and F1 of one case (DDXPlus appendix).</summary>
public readonly record struct DifferentialScore(double Recall, double Precision, double F1);

/// <summary>
/// Ranking metrics. Top-k accuracy: the gold condition is among the first k. The DDXPlus metrics follow the
/// authors' evaluation code (mila-iqia/Casande-RL, chloe/evaluator/metrics.py) and the appendix summarised in
/// notes/governance-and-evaluation.md, with threshold t = 0.01:
/// GTPA@k: the gold condition is among the first k and its predicted probability is above t.
/// Y = the dataset's differential entries above t, Yk = the k most probable of them (so k is capped at |Y|);
/// Ŷk = the first k predictions whose probability is above t; DDR@k = |Ŷk ∩ Yk| / |Yk|,
/// DDP@k = |Ŷk ∩ Yk| / |Ŷk| (0 when Ŷk is empty), DDF1@k their harmonic mean (0 when both are 0), each averaged
/// over patients.
/// </summary>
public static class RankingMetrics
{
    public const double DifferentialThreshold = 0.01;

    public static bool InTopK(ScoredCase scored, int k) =>
        scored.GoldConditionId is { } gold && scored.Ranking.Take(k).Any(r => r.ConditionId == gold);

    /// <summary>GTPA@k of one case: in the top k with a predicted probability above the threshold.</summary>
    public static bool GroundTruthInTopK(ScoredCase scored, int k) =>
        scored.GoldConditionId is { } gold && scored.Ranking.Take(k).Any(r => r.ConditionId == gold && r.Probability > DifferentialThreshold);

    /// <summary>GTPA@k as a percentage of the cases.</summary>
    public static double GroundTruthPathologyAccuracy(IReadOnlyCollection<ScoredCase> cases, int k) =>
        cases.Count == 0 ? 0 : 100.0 * cases.Count(c => GroundTruthInTopK(c, k)) / cases.Count;

    /// <summary>Percentage of cases with the gold condition in the top k (unmatched gold labels count as misses).</summary>
    public static double TopKAccuracy(IReadOnlyCollection<ScoredCase> cases, int k) =>
        cases.Count == 0 ? 0 : 100.0 * cases.Count(c => InTopK(c, k)) / cases.Count;

    /// <summary>DDR/DDP/DDF1 at k for one case; null when the case has no gold differential above the threshold.</summary>
    public static DifferentialScore? Differential(ScoredCase scored, int k)
    {
        if (scored.GoldDifferential is null) return null;
        var y = scored.GoldDifferential.Where(e => e.Probability > DifferentialThreshold)
            .OrderByDescending(e => e.Probability).Select(e => e.ConditionId).Distinct().ToList();
        if (y.Count == 0) return null;
        var yk = y.Take(k).ToHashSet(StringComparer.Ordinal);
        var predicted = scored.Ranking.Take(k).Where(r => r.Probability > DifferentialThreshold)
            .Select(r => r.ConditionId).Distinct().ToList();
        var hits = predicted.Count(yk.Contains);
        double recall = (double)hits / yk.Count;
        double precision = predicted.Count == 0 ? 0 : (double)hits / predicted.Count;
        double f1 = recall + precision == 0 ? 0 : 2 * recall * precision / (recall + precision);
        return new DifferentialScore(recall, precision, f1);
    }

    /// <summary>Mean DDR/DDP/DDF1 at k (percentages) over the cases that have a gold differential; null if none has.</summary>
    public static DifferentialScore? MeanDifferential(IEnumerable<ScoredCase> cases, int k)
    {
        var scores = cases.Select(c => Differential(c, k)).OfType<DifferentialScore>().ToList();
        if (scores.Count == 0) return null;
        return new DifferentialScore(100 * scores.Average(s => s.Recall), 100 * scores.Average(s => s.Precision), 100 * scores.Average(s => s.F1));
    }
}
