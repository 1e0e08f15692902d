using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Shared.Reasoning.Summary;

/// <summary>The course of one series over a window: first and last point, least-squares slope, and whether it moved.</summary>
public sealed record Trend(IReadOnlyList<SeriesPoint> Points, double SlopePerYear, TrendDirection Direction)
{
    /// <summary>A change smaller than this share of the mean level over the window reads as "stable".</summary>
    public const double SignificantChange = 0.10;

    public SeriesPoint First => Points[0];
    public SeriesPoint Last => Points[^1];
    public TimeSpan Span => Last.Time - First.Time;

    /// <summary>
    /// The trend of a series, or null with fewer than two points. It moves when both the fitted change and the
    /// change between first and last point reach <paramref name="significantChange"/> (default: 10 % of the
    /// mean level); when they disagree in direction it is variable.
    /// </summary>
    public static Trend? Of(IReadOnlyList<SeriesPoint> points, double? significantChange = null)
    {
        if (points.Count < 2) return null;
        var slope = SlopePerYearOf(points);
        var threshold = significantChange ?? SignificantChange * points.Average(p => Math.Abs(p.Value));
        var fitted = slope * (points[^1].Time - points[0].Time).TotalDays / SummaryText.DaysPerYear;
        var endpoints = points[^1].Value - points[0].Value;
        var direction = (Math.Abs(fitted) >= threshold, Math.Abs(endpoints) >= threshold) switch
        {
            _ when threshold <= 0 => TrendDirection.Stable,
            (true, true) when Math.Sign(fitted) == Math.Sign(endpoints) => fitted > 0 ? TrendDirection.Rising : TrendDirection.Falling,
            (true, _) or (_, true) when Math.Sign(fitted) != Math.Sign(endpoints) => TrendDirection.Variable,
            _ => TrendDirection.Stable,
        };
        return new Trend(points, slope, direction);
    }

    /// <summary>Least-squares slope in units per year (0 when all points share one time).</summary>
    public static double SlopePerYearOf(IReadOnlyList<SeriesPoint> points)
    {
        var t0 = points[0].Time;
        var xs = points.Select(p => (p.Time - t0).TotalDays / SummaryText.DaysPerYear).ToList();
        var mx = xs.Average();
        var my = points.Average(p => p.Value);
        double sxx = 0, sxy = 0;
        for (var i = 0; i < points.Count; i++)
        {
            sxx += (xs[i] - mx) * (xs[i] - mx);
            sxy += (xs[i] - mx) * (points[i].Value - my);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }
}

public enum TrendDirection
{
    Stable,
    Rising,
    Falling,
    /// <summary>The fitted line and the first-to-last change point different ways.</summary>
    Variable,
}
