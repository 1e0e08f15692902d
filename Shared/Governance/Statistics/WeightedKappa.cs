namespace ClinicianPortal.Shared.Governance.Statistics;

/// <summary>How far apart two ratings count in weighted κ: |i − j| (linear) or (i − j)² (quadratic), scaled to [0, 1].</summary>
public enum KappaWeights { Linear, Quadratic }

/// <summary>
/// Cohen's weighted κ for two raters who rated the same items on an ordinal scale (Cohen, 1968):
/// κ = 1 − Σ w·observed / Σ w·expected, where expected comes from the two raters' marginal distributions and w is the
/// disagreement weight of each pair of scores. 1 is perfect agreement, 0 is what chance gives, below 0 is worse.
/// </summary>
public static class WeightedKappa
{
    /// <param name="pairs">One (first rater's score, second rater's score) per item both rated.</param>
    /// <param name="min">The lowest score of the scale (1 for the rubric).</param>
    /// <param name="max">The highest score of the scale (5 for the rubric).</param>
    /// <returns>Null (undefined) when there are no pairs, or when chance alone predicts no disagreement (both raters
    /// gave one and the same score to everything).</returns>
    public static double? Compute(IReadOnlyCollection<(int First, int Second)> pairs, KappaWeights weights, int min = 1, int max = 5)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (max <= min) throw new ArgumentException("The scale needs at least two scores.", nameof(max));
        if (pairs.Count == 0) return null;
        var k = max - min + 1;
        var observed = new double[k, k];
        var first = new double[k];
        var second = new double[k];
        foreach (var (a, b) in pairs)
        {
            if (a < min || a > max || b < min || b > max) throw new ArgumentOutOfRangeException(nameof(pairs), $"A score outside {min}–{max}.");
            observed[a - min, b - min]++;
            first[a - min]++;
            second[b - min]++;
        }
        double n = pairs.Count, observedDisagreement = 0, expectedDisagreement = 0;
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                var distance = Math.Abs(i - j) / (double)(k - 1);
                var w = weights == KappaWeights.Linear ? distance : distance * distance;
                observedDisagreement += w * observed[i, j] / n;
                expectedDisagreement += w * first[i] / n * second[j] / n;
            }
        }
        return expectedDisagreement == 0 ? null : 1 - observedDisagreement / expectedDisagreement;
    }
}
