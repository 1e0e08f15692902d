namespace ClinicianPortal.Shared.Reasoning.Summary;

/// <summary>What the summary covers; the defaults suit a case review.</summary>
public sealed record SummaryOptions
{
    /// <summary>The summary's point in time; events after it are ignored. Default: the latest event time.</summary>
    public DateTimeOffset? AsOf { get; init; }
    /// <summary>How far back "recent" changes, admissions and abnormal results reach.</summary>
    public TimeSpan RecentWindow { get; init; } = TimeSpan.FromDays(180);
    /// <summary>How far back a trajectory reaches.</summary>
    public TimeSpan TrendWindow { get; init; } = TimeSpan.FromDays(10 * 365.25);
    /// <summary>The most recent points a trajectory uses (and cites).</summary>
    public int MaxTrendPoints { get; init; } = 24;
}
