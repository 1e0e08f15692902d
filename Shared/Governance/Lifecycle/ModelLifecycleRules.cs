using System.Globalization;
using ClinicianPortal.Shared.Governance.Validation;

namespace ClinicianPortal.Shared.Governance.Lifecycle;

/// <summary>
/// Where a model version stands. Shadow and pilot versions run silently beside the approved one (their outputs are
/// audited and rated, never shown to clinicians); pilot means it has passed the first validation bar. The approved
/// version serves clinicians; retired versions do not run.
/// </summary>
public enum LifecycleStatus { Shadow, Pilot, Approved, Retired }

/// <summary>What a promotion to a status requires of a version's validation ratings (ModelGovernance:Pilot / :Approved).</summary>
public sealed class PromotionThresholds
{
    /// <summary>Outputs rated by at least two validators.</summary>
    public int MinimumRatedOutputs { get; set; }
    /// <summary>The mean score every higher-is-better rubric dimension must reach (1–5)...</summary>
    public double MinimumMeanScore { get; set; }
    /// <summary>...unless a dimension has its own minimum here (key: Rubric dimension key, e.g. "accurate").</summary>
    public Dictionary<string, double> MinimumMeanScores { get; set; } = [];
    /// <summary>Largest share of rated outputs that any validator flagged for harm (harm score ≥ <see cref="Rubric.HarmFlagAtOrAbove"/>).</summary>
    public double MaximumHarmFlagRate { get; set; }

    public double MinimumFor(string dimension) => MinimumMeanScores.TryGetValue(dimension, out var min) ? min : MinimumMeanScore;
}

/// <summary>One score of one validator's rating of one sampled output (a row of the validation tables).</summary>
public sealed record RatedScore(long ItemId, long RatingId, string Dimension, int Score);

/// <summary>
/// A version's validation evidence: outputs sampled, outputs rated by ≥ 2 validators, the mean score per rubric dimension
/// over the ratings of those outputs, and how many of them a validator flagged for harm.
/// </summary>
/// <param name="RatersRequired">Ratings an output needs to count as rated (Validation:RatersRequired).</param>
public sealed record ValidationEvidence(int SampledOutputs, int RatedOutputs, int Ratings, IReadOnlyDictionary<string, double> MeanScores, int HarmFlaggedOutputs,
    int RatersRequired)
{
    public static readonly ValidationEvidence None = new(0, 0, 0, new Dictionary<string, double>(), 0, Rubric.DefaultRatersRequired);

    /// <summary>0 when nothing is rated.</summary>
    public double HarmFlagRate => RatedOutputs == 0 ? 0 : (double)HarmFlaggedOutputs / RatedOutputs;

    /// <param name="sampledOutputs">Items sampled for this version, rated or not.</param>
    /// <param name="ratersRequired">Ratings an output needs to count (Validation:RatersRequired).</param>
    public static ValidationEvidence From(int sampledOutputs, IEnumerable<RatedScore> scores, int ratersRequired)
    {
        ArgumentNullException.ThrowIfNull(scores);
        // Only outputs with the required ratings count: one validator's view is not validation.
        var rated = scores.GroupBy(s => s.ItemId).Where(item => item.Select(s => s.RatingId).Distinct().Count() >= ratersRequired).ToList();
        var all = rated.SelectMany(item => item).ToList();
        var means = all.GroupBy(s => s.Dimension, StringComparer.Ordinal).ToDictionary(d => d.Key, d => d.Average(s => s.Score), StringComparer.Ordinal);
        var harmFlagged = rated.Count(item => item.Any(s => s.Dimension == Rubric.Harm && s.Score >= Rubric.HarmFlagAtOrAbove));
        return new ValidationEvidence(sampledOutputs, rated.Count, all.Select(s => s.RatingId).Distinct().Count(), means, harmFlagged, ratersRequired);
    }

    /// <summary>Which of <paramref name="thresholds"/> this evidence fails, each with its numbers (empty: all met).</summary>
    public IReadOnlyList<string> Shortfalls(PromotionThresholds thresholds) =>
        [.. Checks(thresholds).Where(c => !c.Met).Select(c => $"{c.Name}: {c.Actual}, {c.Required}")];

    /// <summary>Every threshold against this evidence, met or not (the admin page shows them all).</summary>
    public IReadOnlyList<ThresholdCheck> Checks(PromotionThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var checks = new List<ThresholdCheck>
        {
            new($"rated outputs (each by ≥ {RatersRequired} validators)", Text($"{RatedOutputs}"), Text($"minimum {thresholds.MinimumRatedOutputs}"),
                RatedOutputs >= thresholds.MinimumRatedOutputs),
        };
        foreach (var dimension in Rubric.Dimensions.Where(d => d.HigherIsBetter))
        {
            var minimum = thresholds.MinimumFor(dimension.Key);
            var has = MeanScores.TryGetValue(dimension.Key, out var mean);
            checks.Add(new($"mean {dimension.Name}", has ? Text($"{mean:0.00}") : "no scores", Text($"minimum {minimum:0.00}"), has && mean >= minimum));
        }
        checks.Add(new("harm flags", Text($"{HarmFlaggedOutputs} of {RatedOutputs} rated outputs ({HarmFlagRate:P1})"),
            Text($"maximum {thresholds.MaximumHarmFlagRate:P1}"), HarmFlagRate <= thresholds.MaximumHarmFlagRate));
        return checks;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One promotion threshold against a version's evidence.</summary>
public sealed record ThresholdCheck(string Name, string Actual, string Required, bool Met);

/// <summary>The transitions a version may make: shadow → pilot → approved → retired, and retired from any other status.</summary>
public static class LifecycleTransitions
{
    public static bool Allowed(LifecycleStatus from, LifecycleStatus to) => (from, to) switch
    {
        (LifecycleStatus.Shadow, LifecycleStatus.Pilot) => true,
        (LifecycleStatus.Pilot, LifecycleStatus.Approved) => true,
        (not LifecycleStatus.Retired, LifecycleStatus.Retired) => true,
        _ => false,
    };

    /// <summary>Lower case, as stored and audited ("shadow").</summary>
    public static string Name(LifecycleStatus status) => status.ToString().ToLowerInvariant();

    public static LifecycleStatus Parse(string name) => Enum.Parse<LifecycleStatus>(name, ignoreCase: true);
}
