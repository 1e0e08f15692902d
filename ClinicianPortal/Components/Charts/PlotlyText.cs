using System.Globalization;
using System.Net;

namespace ClinicianPortal.Components.Charts;

/// <summary>Formatting shared by the figure builders: plotly reads dates as strings and renders hover text as HTML.</summary>
public static class PlotlyText
{
    /// <summary>A time as plotly's date axis reads it, on the clock it was recorded in.</summary>
    public static string Date(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset time) => time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Hover text is HTML to plotly: escape what came from the record.</summary>
    public static string Html(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
