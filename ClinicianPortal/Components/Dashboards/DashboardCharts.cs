using System.Text.Json.Nodes;
using ClinicianPortal.Components.Charts;
using ClinicianPortal.Dashboards;
using ClinicianPortal.Shared.Governance.Validation;

namespace ClinicianPortal.Components.Dashboards;

/// <summary>The dashboard's plotly figures. Each has a table on the page with the same numbers (the accessible equivalent).</summary>
public static class DashboardCharts
{
    private const string Quality = "#1f4e79", HarmColor = "#a4001d", Grid = "#e3e7ec";

    /// <summary>Mean score per rubric dimension with its 95% interval as error bars; harm (5 is worst) in its own colour.</summary>
    public static PlotlyFigure Means(ValidationDashboard dashboard)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        var data = new JsonArray();
        foreach (var group in dashboard.Dimensions.Where(d => d.Mean is not null).GroupBy(d => d.Dimension.HigherIsBetter))
        {
            var rows = group.ToList();
            var color = group.Key ? Quality : HarmColor;
            data.Add(new JsonObject
            {
                ["type"] = "scatter",
                ["mode"] = "markers",
                ["name"] = group.Key ? "Quality (5 is best)" : "Potential for harm (5 is worst)",
                ["x"] = Array(rows.Select(d => (JsonNode)d.Dimension.Name)),
                ["y"] = Array(rows.Select(d => (JsonNode)d.Mean!.Mean)),
                ["error_y"] = new JsonObject
                {
                    ["type"] = "data",
                    ["symmetric"] = false,
                    // No interval (one output): a zero-length bar rather than a made-up one.
                    ["array"] = Array(rows.Select(d => (JsonNode)(d.Mean!.Confidence95 is { } ci ? ci.Upper - d.Mean.Mean : 0))),
                    ["arrayminus"] = Array(rows.Select(d => (JsonNode)(d.Mean!.Confidence95 is { } ci ? d.Mean.Mean - ci.Lower : 0))),
                    ["color"] = color,
                },
                ["marker"] = new JsonObject { ["color"] = color, ["size"] = 10, ["symbol"] = group.Key ? "circle" : "diamond" },
                ["text"] = Array(rows.Select(d => (JsonNode)$"{PlotlyText.Html(d.Dimension.Name)}: {DashboardText.Score(d.Mean!.Mean)} (95% CI {DashboardText.Interval(d.Mean.Confidence95)}, n = {d.Mean.Count})")),
                ["hovertemplate"] = "%{text}<extra></extra>",
            });
        }
        return Figure(data, 360, new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = "Mean score (1–5)" },
            ["range"] = new JsonArray(0.5, 5.5),
            ["dtick"] = 1,
            ["gridcolor"] = Grid,
        }, new JsonObject { ["tickangle"] = -30 });
    }

    /// <summary>Mean score per day of rating: overall quality and harm shown, each dimension one legend click away.</summary>
    public static PlotlyFigure Trend(ValidationDashboard dashboard)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        var days = dashboard.Trend;
        var data = new JsonArray
        {
            Line("Overall quality", days.Select(p => (p.Day, p.Quality)), Quality, visible: true, width: 3),
            Line(Rubric.Find(Rubric.Harm)!.Name, days.Select(p => (p.Day, p.MeanByDimension.TryGetValue(Rubric.Harm, out var h) ? h : (double?)null)), HarmColor, visible: true, width: 3),
        };
        foreach (var dimension in Rubric.Dimensions.Where(d => d.HigherIsBetter))
            data.Add(Line(dimension.Name, days.Select(p => (p.Day, p.MeanByDimension.TryGetValue(dimension.Key, out var m) ? m : (double?)null)), null, visible: false, width: 1.5));
        return Figure(data, 340, new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = "Mean score (1–5)" },
            ["range"] = new JsonArray(0.5, 5.5),
            ["dtick"] = 1,
            ["gridcolor"] = Grid,
        }, DayAxis(days.Count));
    }

    /// <summary>Annotations per verdict, split into open and resolved.</summary>
    public static PlotlyFigure Verdicts(ValidationDashboard dashboard)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        var verdicts = dashboard.Verdicts;
        var data = new JsonArray
        {
            Bars("Open", verdicts.Select(v => (v.Verdict, v.Open)), "#b35900"),
            Bars("Resolved", verdicts.Select(v => (v.Verdict, v.Total - v.Open)), "#5b6b7b"),
        };
        var figure = Figure(data, 280, new JsonObject { ["title"] = new JsonObject { ["text"] = "Annotations" }, ["gridcolor"] = Grid, ["rangemode"] = "tozero" }, new JsonObject());
        return figure;
    }

    /// <summary>A date axis labelled by day: one tick per day while there are few, plotly's choice after that.</summary>
    private static JsonObject DayAxis(int days)
    {
        var axis = new JsonObject { ["type"] = "date", ["gridcolor"] = Grid, ["tickformat"] = "%Y-%m-%d", ["hoverformat"] = "%Y-%m-%d" };
        if (days <= 14) axis["dtick"] = 86_400_000; // one day in milliseconds
        return axis;
    }

    private static JsonObject Line(string name, IEnumerable<(DateOnly Day, double? Value)> points, string? color, bool visible, double width)
    {
        var list = points.ToList();
        var line = new JsonObject
        {
            ["type"] = "scatter",
            ["mode"] = "lines+markers",
            ["name"] = name,
            ["x"] = Array(list.Select(p => (JsonNode)DashboardText.Day(p.Day))),
            ["y"] = Array(list.Select(p => p.Value is { } v ? JsonValue.Create(v) : null)),
            ["connectgaps"] = true,
            ["line"] = new JsonObject { ["width"] = width },
        };
        if (color is not null) ((JsonObject)line["line"]!)["color"] = color;
        if (color is not null) line["marker"] = new JsonObject { ["color"] = color };
        if (!visible) line["visible"] = "legendonly";
        return line;
    }

    private static JsonObject Bars(string name, IEnumerable<(string Verdict, int Count)> bars, string color)
    {
        var list = bars.ToList();
        return new JsonObject
        {
            ["type"] = "bar",
            ["name"] = name,
            ["x"] = Array(list.Select(b => (JsonNode)b.Verdict)),
            ["y"] = Array(list.Select(b => (JsonNode)b.Count)),
            ["marker"] = new JsonObject { ["color"] = color },
        };
    }

    private static PlotlyFigure Figure(JsonArray data, int height, JsonObject yaxis, JsonObject xaxis)
    {
        var layout = new JsonObject
        {
            ["height"] = height,
            ["margin"] = new JsonObject { ["l"] = 60, ["r"] = 16, ["t"] = 48, ["b"] = 90 },
            ["hovermode"] = "closest",
            ["barmode"] = "stack",
            ["font"] = new JsonObject { ["family"] = "system-ui, sans-serif", ["size"] = 13, ["color"] = "#1b1f24" },
            ["plot_bgcolor"] = "#ffffff",
            ["paper_bgcolor"] = "#ffffff",
            ["legend"] = new JsonObject { ["orientation"] = "h", ["yanchor"] = "bottom", ["y"] = 1.02 },
            ["xaxis"] = xaxis,
            ["yaxis"] = yaxis,
        };
        return new PlotlyFigure(new JsonObject { ["data"] = data, ["layout"] = layout }.ToJsonString(), height);
    }

    private static JsonArray Array(IEnumerable<JsonNode?> nodes) => new([.. nodes]);
}
