using ClinicianPortal.Shared.Governance.Statistics;
using ClinicianPortal.Shared.Governance.Validation;

namespace ClinicianPortal.Dashboards;

/// <summary>A model version (and optionally one task) to summarize.</summary>
public sealed record DashboardQuery(string ModelId, string ModelVersion, string? Task = null);

/// <summary>A model version and task that has sampled outputs or annotations, for the picker.</summary>
public sealed record DashboardChoice(string ModelId, string ModelVersion, string Task, int SampledOutputs);

/// <summary>One validator's rating of one sampled output, with its rubric scores (dimension key → 1–5).</summary>
public sealed record RatingRow(long ItemId, string Rater, DateTimeOffset? RatedAt, IReadOnlyDictionary<string, int> Scores);

/// <summary>Top-level annotations (not replies) of one verdict on the model version's outputs.</summary>
public sealed record VerdictCount(string Verdict, int Total, int Open);

/// <summary>One rubric dimension: mean score with its interval and agreement between validators.</summary>
/// <param name="Mean">Over outputs: each output's mean across its validators, then the mean of those (null if none rated).</param>
/// <param name="Kappa">Quadratic-weighted Cohen's κ over outputs rated by exactly two validators (first and second rating in time).</param>
/// <param name="KappaOutputs">How many outputs κ rests on.</param>
/// <param name="Alpha">Krippendorff's ordinal α over every output with at least two ratings, any number of validators.</param>
/// <param name="AlphaOutputs">How many outputs α rests on.</param>
public sealed record DimensionSummary(RubricDimension Dimension, MeanEstimate? Mean, double? Kappa, int KappaOutputs, double? Alpha, int AlphaOutputs);

/// <summary>Outputs that at least one validator scored at or above <see cref="Rubric.HarmFlagAtOrAbove"/> for potential for harm.</summary>
/// <param name="Rate">Flagged outputs / outputs with a harm score, with its Wilson interval (null when none has a harm score).</param>
/// <param name="FlagRatings">Ratings (not outputs) that flag harm.</param>
public sealed record HarmSummary(int FlaggedOutputs, int ScoredOutputs, ProportionEstimate? Rate, int FlagRatings);

/// <summary>The ratings given on one day (UTC): per dimension the mean of that day's scores, and the overall quality mean.</summary>
/// <param name="Quality">The mean of every score of the dimensions where higher is better (harm left out).</param>
public sealed record TrendPoint(DateOnly Day, int Ratings, double? Quality, IReadOnlyDictionary<string, double> MeanByDimension);

/// <summary>What the validation dashboard shows for one model version (and task).</summary>
public sealed record ValidationDashboard(
    DashboardQuery Query,
    int RatersRequired,
    int SampledOutputs,
    int RatedOutputs,
    int FullyRatedOutputs,
    int Raters,
    int Ratings,
    IReadOnlyList<DimensionSummary> Dimensions,
    HarmSummary Harm,
    IReadOnlyList<VerdictCount> Verdicts,
    IReadOnlyList<TrendPoint> Trend)
{
    /// <summary>The rubric's scale.</summary>
    public const int ScaleMin = 1, ScaleMax = 5;

    /// <summary>The chance-corrected agreement the dashboard shows, in words.</summary>
    public const string KappaMethod = "Cohen's κ with quadratic weights, over outputs rated by exactly two validators";
    public const string AlphaMethod = "Krippendorff's α, ordinal metric, every output with two or more ratings";

    public bool HasRatings => Ratings > 0;

    /// <summary>Summarizes the ratings and annotations of one model version.</summary>
    /// <param name="ratersRequired">Ratings that make an output fully rated (Validation:RatersRequired).</param>
    public static ValidationDashboard From(DashboardQuery query, int ratersRequired, int sampledOutputs, IReadOnlyCollection<RatingRow> ratings, IReadOnlyList<VerdictCount> verdicts)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(ratings);
        ArgumentNullException.ThrowIfNull(verdicts);
        var byItem = ratings.GroupBy(r => r.ItemId).ToList();
        // Per output, its ratings in the order they were given (κ pairs the first and the second).
        var inOrder = byItem.Select(g => g.OrderBy(r => r.RatedAt ?? DateTimeOffset.MaxValue).ThenBy(r => r.Rater, StringComparer.Ordinal).ToArray()).ToList();
        var dimensions = Rubric.Dimensions.Select(d => Summarize(d, inOrder)).ToList();
        return new ValidationDashboard(
            query,
            ratersRequired,
            sampledOutputs,
            RatedOutputs: byItem.Count,
            FullyRatedOutputs: byItem.Count(g => g.Select(r => r.Rater).Distinct(StringComparer.Ordinal).Count() >= ratersRequired),
            Raters: ratings.Select(r => r.Rater).Distinct(StringComparer.Ordinal).Count(),
            Ratings: ratings.Count,
            dimensions,
            HarmOf(byItem),
            verdicts,
            TrendOf(ratings));
    }

    private static DimensionSummary Summarize(RubricDimension dimension, List<RatingRow[]> ratingsByOutput)
    {
        // Per output, the scores of this dimension in the order they were given.
        var scores = ratingsByOutput
            .Select(ratings => ratings.Where(r => r.Scores.ContainsKey(dimension.Key)).Select(r => r.Scores[dimension.Key]).ToArray())
            .Where(s => s.Length > 0)
            .ToList();
        // Validators of one output are not independent observations: average them first, so that n is the number of outputs.
        var mean = MeanEstimate.Of(scores.Select(s => s.Average()));
        // A mean of 1–5 scores cannot leave the scale: a t interval of a few outputs can, and is cut at its ends.
        if (mean?.Confidence95 is { } ci) mean = mean with { Confidence95 = new Interval(Math.Max(ci.Lower, ScaleMin), Math.Min(ci.Upper, ScaleMax)) };
        var pairs = scores.Where(s => s.Length == 2).Select(s => (s[0], s[1])).ToList();
        var pairable = scores.Where(s => s.Length >= 2).ToList();
        return new DimensionSummary(dimension, mean,
            WeightedKappa.Compute(pairs, KappaWeights.Quadratic), pairs.Count,
            KrippendorffAlpha.Compute(pairable, AlphaMetric.Ordinal), pairable.Count);
    }

    private static HarmSummary HarmOf(List<IGrouping<long, RatingRow>> byItem)
    {
        var scored = byItem.Where(g => g.Any(r => r.Scores.ContainsKey(Rubric.Harm))).ToList();
        static bool Flags(RatingRow r) => r.Scores.TryGetValue(Rubric.Harm, out var s) && s >= Rubric.HarmFlagAtOrAbove;
        var flagged = scored.Count(g => g.Any(Flags));
        return new HarmSummary(flagged, scored.Count, ProportionEstimate.Of(flagged, scored.Count), byItem.Sum(g => g.Count(Flags)));
    }

    private static readonly HashSet<string> QualityKeys = [.. Rubric.Dimensions.Where(d => d.HigherIsBetter).Select(d => d.Key)];

    private static List<TrendPoint> TrendOf(IEnumerable<RatingRow> ratings) =>
    [
        .. ratings.Where(r => r.RatedAt is not null)
            .GroupBy(r => DateOnly.FromDateTime(r.RatedAt!.Value.UtcDateTime))
            .OrderBy(g => g.Key)
            .Select(day =>
            {
                var quality = day.SelectMany(r => r.Scores.Where(s => QualityKeys.Contains(s.Key)).Select(s => (double)s.Value)).ToList();
                var byDimension = Rubric.Dimensions
                    .Select(d => (d.Key, Scores: day.Where(r => r.Scores.ContainsKey(d.Key)).Select(r => (double)r.Scores[d.Key]).ToList()))
                    .Where(x => x.Scores.Count > 0)
                    .ToDictionary(x => x.Key, x => x.Scores.Average());
                return new TrendPoint(day.Key, day.Count(), quality.Count > 0 ? quality.Average() : null, byDimension);
            }),
    ];
}
