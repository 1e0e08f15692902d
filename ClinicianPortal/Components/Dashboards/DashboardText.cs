using System.Globalization;
using ClinicianPortal.Shared.Governance.Statistics;

namespace ClinicianPortal.Components.Dashboards;

/// <summary>How the dashboard writes its numbers: two decimals for scores and agreement, one for percentages, "—" for undefined.</summary>
public static class DashboardText
{
    public const string Undefined = "—";

    public static string Score(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : Undefined;

    public static string Interval(Interval? interval) =>
        interval is { } i ? $"{Score(i.Lower)} – {Score(i.Upper)}" : Undefined;

    public static string Percent(double value) => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string Rate(ProportionEstimate? rate) =>
        rate is null ? Undefined : $"{Percent(rate.Rate)} (95% CI {Percent(rate.Confidence95.Lower)} – {Percent(rate.Confidence95.Upper)})";

    /// <summary>Agreement with the number of outputs it rests on, e.g. "0.82 (n = 12)".</summary>
    public static string Agreement(double? value, int outputs) => value is null ? Undefined : $"{Score(value)} (n = {outputs})";

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
