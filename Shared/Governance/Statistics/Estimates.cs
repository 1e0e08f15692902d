namespace ClinicianPortal.Shared.Governance.Statistics;

/// <summary>A two-sided confidence interval.</summary>
public readonly record struct Interval(double Lower, double Upper);

/// <summary>
/// A sample mean with its 95% confidence interval: mean ± t(0.975, n − 1) · s / √n (Student's t, so that small
/// samples get honestly wide intervals). No interval for n &lt; 2: one value says nothing about spread.
/// </summary>
public sealed record MeanEstimate(int Count, double Mean, double? StandardDeviation, Interval? Confidence95)
{
    public const string Method = "mean ± t(0.975, n−1)·s/√n (Student's t)";

    /// <summary>Null when there are no values.</summary>
    public static MeanEstimate? Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = values.ToList();
        if (list.Count == 0) return null;
        var mean = list.Average();
        if (list.Count == 1) return new MeanEstimate(1, mean, null, null);
        // Sample standard deviation (n − 1 in the denominator).
        var sd = Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
        var half = StudentT.Quantile(0.975, list.Count - 1) * sd / Math.Sqrt(list.Count);
        return new MeanEstimate(list.Count, mean, sd, new Interval(mean - half, mean + half));
    }
}

/// <summary>
/// A proportion with its 95% Wilson score interval, which stays inside [0, 1] and is sensible for rare events and
/// small samples (where the textbook p ± 1.96·√(p(1−p)/n) gives [0, 0] for 0 of 10).
/// </summary>
public sealed record ProportionEstimate(int Successes, int Trials, double Rate, Interval Confidence95)
{
    public const string Method = "Wilson score interval";

    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>Null when there are no trials.</summary>
    public static ProportionEstimate? Of(int successes, int trials)
    {
        if (trials < 0 || successes < 0 || successes > trials)
            throw new ArgumentOutOfRangeException(nameof(successes), $"{successes} of {trials} is not a proportion.");
        if (trials == 0) return null;
        double n = trials, p = successes / n, z2 = Z95 * Z95;
        var denominator = 1 + z2 / n;
        var center = (p + z2 / (2 * n)) / denominator;
        var half = Z95 / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new ProportionEstimate(successes, trials, p, new Interval(Math.Max(0, center - half), Math.Min(1, center + half)));
    }
}
