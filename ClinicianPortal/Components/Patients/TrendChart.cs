using System.Text.Json.Nodes;
using ClinicianPortal.Components.Charts;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Components.Patients;

/// <summary>A series the trend chart can show: a lab (per LOINC code) or a vital sign.</summary>
public sealed record TrendOption(string Key, string Label, string Group, int Count);

/// <summary>
/// Builds lab and vital-sign trend charts: the values over time, the reference range as a shaded band,
/// abnormal results in red with a distinct marker, and when each medication was started and stopped.
/// </summary>
public sealed class TrendChartBuilder
{
    // LOINC systolic and diastolic blood pressure: shown together whichever one is chosen.
    private const string Systolic = "8480-6";
    private const string Diastolic = "8462-4";

    /// <summary>At most this many medications are marked, those overlapping the series' time span.</summary>
    public int MaxMedications { get; init; } = 10;

    /// <summary>Series with more results than this are drawn as a line without a marker per result.</summary>
    public int MaxMarkers { get; init; } = 300;

    public static IReadOnlyList<TrendOption> Options(PatientRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return
        [
            .. record.Vitals.OrderBy(s => s.Name).Select(s => new TrendOption("vital:" + s.Code, $"{s.Name} ({s.Points.Count})", "Vital signs", s.Points.Count)),
            .. record.Labs.OrderBy(s => s.Name).Select(s => new TrendOption("lab:" + s.Code, $"{s.Name} ({s.Points.Count})", "Labs", s.Points.Count)),
        ];
    }

    /// <summary>The series to draw for an option: blood pressure brings its systolic/diastolic partner.</summary>
    public static IReadOnlyList<LabSeries> SeriesFor(PatientRecord record, string key)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(key);
        var (source, code) = key.StartsWith("vital:", StringComparison.Ordinal) ? (record.Vitals, key[6..])
            : key.StartsWith("lab:", StringComparison.Ordinal) ? (record.Labs, key[4..]) : (record.Labs, "");
        var chosen = source.FirstOrDefault(s => s.Code == code);
        if (chosen is null) return [];
        if (code is Systolic or Diastolic)
        {
            return [.. new[] { Systolic, Diastolic }.Select(c => source.FirstOrDefault(s => s.Code == c)).OfType<LabSeries>()];
        }
        return [chosen];
    }

    /// <summary>A sentence saying what the chart shows, for the caption (and screen readers).</summary>
    public static string Caption(IReadOnlyList<LabSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return string.Join(" ", series.Select(s =>
        {
            if (s.Points.Count == 0) return $"{s.Name}: no results.";
            var last = s.Points[^1];
            var abnormal = s.Points.Count(p => p.Abnormal);
            var range = EventText.Range(s.Range);
            return $"{s.Name}: {s.Points.Count} results, latest {EventText.Number(last.Value)} {s.Unit} on {EventText.Date(last.Time)}"
                + $"{(last.Abnormal ? " (abnormal)" : "")}; {abnormal} abnormal"
                + (range.Length > 0 ? $"; reference range {range} {s.Unit}." : "; no reference range.");
        }));
    }

    public PlotlyFigure ToFigure(IReadOnlyList<LabSeries> series, IEnumerable<ClinicalEvent> medications)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(medications);
        string[] lineColors = ["#1f4e79", "#5b4a8b"];
        var data = new JsonArray();
        var shapes = new JsonArray();
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var color = lineColors[i % lineColors.Length];
            data.Add(new JsonObject
            {
                ["type"] = "scatter",
                // Hundreds of results read better as a line; abnormal ones keep their markers (below).
                ["mode"] = s.Points.Count > MaxMarkers ? "lines" : "lines+markers",
                ["name"] = s.Name + (s.Unit is null ? "" : $" ({s.Unit})"),
                ["x"] = Dates(s.Points),
                ["y"] = Values(s.Points),
                ["customdata"] = Keys(s.Points),
                ["text"] = new JsonArray(s.Points.Select(p => (JsonNode)Hover(s, p)).ToArray()),
                ["hovertemplate"] = "%{text}<extra></extra>",
                ["line"] = new JsonObject { ["color"] = color, ["width"] = s.Points.Count > MaxMarkers ? 1 : 2 },
                ["marker"] = new JsonObject { ["color"] = color, ["size"] = 7, ["symbol"] = "circle" },
            });
            AddRange(s, data, shapes);
        }
        // Abnormal results over the line: red and a different symbol, so they stand out without colour too.
        var abnormal = series.SelectMany(s => s.Points.Select(p => (Series: s, Point: p))).Where(x => x.Point.Abnormal).ToList();
        if (abnormal.Count > 0)
        {
            data.Add(new JsonObject
            {
                ["type"] = "scatter",
                ["mode"] = "markers",
                ["name"] = "Abnormal result",
                ["x"] = new JsonArray(abnormal.Select(x => (JsonNode)PlotlyText.Date(x.Point.Time)).ToArray()),
                ["y"] = new JsonArray(abnormal.Select(x => (JsonNode)x.Point.Value).ToArray()),
                ["customdata"] = new JsonArray(abnormal.Select(x => (JsonNode)("e:" + x.Point.EventId)).ToArray()),
                ["text"] = new JsonArray(abnormal.Select(x => (JsonNode)Hover(x.Series, x.Point)).ToArray()),
                ["hovertemplate"] = "%{text}<extra></extra>",
                ["marker"] = new JsonObject
                {
                    ["color"] = "#c62828",
                    ["size"] = 12,
                    ["symbol"] = "diamond",
                    ["line"] = new JsonObject { ["color"] = "#7f0000", ["width"] = 1 },
                },
            });
        }

        var meds = MedicationSpans(series, medications);
        // Fixed pixel heights: the values get 300 px whatever the number of medication rows above them.
        const int valuesHeight = 300, gap = 36, top = 8, bottom = 80;
        var stripHeight = meds.Count == 0 ? 0 : 24 * meds.Count + 12;
        var plotHeight = valuesHeight + (meds.Count == 0 ? 0 : gap + stripHeight);
        var height = plotHeight + top + bottom;
        var layout = new JsonObject
        {
            ["height"] = height,
            ["margin"] = new JsonObject { ["l"] = 60, ["r"] = 16, ["t"] = top, ["b"] = bottom },
            ["hovermode"] = "closest",
            ["font"] = new JsonObject { ["family"] = "system-ui, sans-serif", ["size"] = 13, ["color"] = "#1b1f24" },
            ["plot_bgcolor"] = "#ffffff",
            ["paper_bgcolor"] = "#ffffff",
            ["legend"] = new JsonObject { ["orientation"] = "h", ["yanchor"] = "top", ["y"] = -36.0 / plotHeight },
            ["xaxis"] = new JsonObject { ["type"] = "date", ["gridcolor"] = "#e3e7ec" },
            ["yaxis"] = new JsonObject
            {
                ["title"] = new JsonObject { ["text"] = series.Count > 0 ? series[0].Unit ?? "" : "" },
                ["gridcolor"] = "#e3e7ec",
                ["domain"] = new JsonArray(0, (double)valuesHeight / plotHeight),
            },
            ["shapes"] = shapes,
        };
        if (meds.Count > 0) layout["yaxis2"] = StripAxis(meds, (double)(valuesHeight + gap) / plotHeight);
        if (meds.Count > 0) AddMedicationStrip(meds, data);
        return new PlotlyFigure(new JsonObject { ["data"] = data, ["layout"] = layout }.ToJsonString(), height);
    }

    private static void AddRange(LabSeries s, JsonArray data, JsonArray shapes)
    {
        if (s.Range is not { } range || (range.Low is null && range.High is null)) return;
        const string band = "rgba(46, 125, 50, 0.14)";
        if (range is { Low: { } low, High: { } high })
        {
            shapes.Add(new JsonObject
            {
                ["type"] = "rect", ["xref"] = "paper", ["x0"] = 0, ["x1"] = 1, ["yref"] = "y", ["y0"] = low, ["y1"] = high,
                ["fillcolor"] = band, ["line"] = new JsonObject { ["width"] = 0 }, ["layer"] = "below",
            });
        }
        else
        {
            var bound = range.Low ?? range.High!.Value;
            shapes.Add(new JsonObject
            {
                ["type"] = "line", ["xref"] = "paper", ["x0"] = 0, ["x1"] = 1, ["yref"] = "y", ["y0"] = bound, ["y1"] = bound,
                ["line"] = new JsonObject { ["color"] = "rgba(46, 125, 50, 0.7)", ["width"] = 2, ["dash"] = "dash" }, ["layer"] = "below",
            });
        }
        // A legend entry for the band (shapes have none).
        data.Add(new JsonObject
        {
            ["type"] = "scatter", ["mode"] = "lines", ["x"] = new JsonArray((JsonNode?)null, null), ["y"] = new JsonArray((JsonNode?)null, null),
            ["name"] = $"Reference range {s.Name} {EventText.Range(range)}",
            ["line"] = new JsonObject { ["color"] = "rgba(46, 125, 50, 0.45)", ["width"] = 10 },
            ["hoverinfo"] = "skip",
        });
    }

    /// <summary>One drug's treatment span: first start, last stop (null while still active).</summary>
    public sealed record MedicationSpan(string Drug, DateTimeOffset Start, DateTimeOffset? Stop, string? FirstEventId, string? LastEventId);

    public IReadOnlyList<MedicationSpan> MedicationSpans(IReadOnlyList<LabSeries> series, IEnumerable<ClinicalEvent> medications)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(medications);
        var times = series.SelectMany(s => s.Points).Select(p => p.Time).ToList();
        if (times.Count == 0) return [];
        var (from, to) = (times.Min(), times.Max());
        return medications
            .Where(m => m.Kind == EventKind.Medication && m.Start is not null)
            .GroupBy(m => m.Title, StringComparer.OrdinalIgnoreCase)
            .Select(g =>
            {
                var ordered = g.OrderBy(m => m.Start).ToList();
                var active = ordered.Any(m => m.End is null && string.Equals(m.Status, "active", StringComparison.OrdinalIgnoreCase));
                var stop = active ? (DateTimeOffset?)null : ordered.Max(m => m.End ?? m.Start);
                return new MedicationSpan(g.Key, ordered[0].Start!.Value, stop, ordered[0].Id, ordered[^1].Id);
            })
            .Where(m => m.Start <= to && (m.Stop ?? DateTimeOffset.MaxValue) >= from)
            .OrderBy(m => m.Start)
            .Take(MaxMedications)
            .ToList();
    }

    private static void AddMedicationStrip(IReadOnlyList<MedicationSpan> meds, JsonArray data)
    {
        foreach (var med in meds)
        {
            var end = med.Stop ?? DateTimeOffset.UtcNow;
            data.Add(new JsonObject
            {
                ["type"] = "scatter", ["mode"] = "lines", ["yaxis"] = "y2", ["showlegend"] = false, ["hoverinfo"] = "skip",
                ["x"] = new JsonArray(PlotlyText.Date(med.Start), PlotlyText.Date(end)), ["y"] = new JsonArray(med.Drug, med.Drug),
                ["line"] = new JsonObject { ["color"] = "#2e6b30", ["width"] = 4 },
            });
        }
        data.Add(MedicationMarks("Medication started", "triangle-right", meds.Select(m => (m.Drug, m.Start, m.FirstEventId, $"<b>{PlotlyText.Html(m.Drug)}</b><br>started {PlotlyText.Day(m.Start)}"))));
        var stopped = meds.Where(m => m.Stop is not null).ToList();
        if (stopped.Count > 0)
        {
            data.Add(MedicationMarks("Medication stopped", "square", stopped.Select(m => (m.Drug, m.Stop!.Value, m.LastEventId, $"<b>{PlotlyText.Html(m.Drug)}</b><br>stopped {PlotlyText.Day(m.Stop!.Value)}"))));
        }
    }

    /// <summary>The medication rows above the values; long drug names are shortened (the hover shows them whole).</summary>
    private static JsonObject StripAxis(IReadOnlyList<MedicationSpan> meds, double bottom) => new()
    {
        ["domain"] = new JsonArray(bottom, 1),
        ["type"] = "category",
        ["categoryorder"] = "array",
        ["categoryarray"] = new JsonArray(meds.Select(m => (JsonNode)m.Drug).ToArray()),
        ["tickvals"] = new JsonArray(meds.Select(m => (JsonNode)m.Drug).ToArray()),
        ["ticktext"] = new JsonArray(meds.Select(m => (JsonNode)Shorten(m.Drug, 30)).ToArray()),
        ["autorange"] = "reversed",
        ["fixedrange"] = true,
        ["automargin"] = true,
        ["tickfont"] = new JsonObject { ["size"] = 11 },
    };

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)].TrimEnd() + "…";

    private static JsonObject MedicationMarks(string name, string symbol, IEnumerable<(string Drug, DateTimeOffset Time, string? EventId, string Hover)> marks)
    {
        var list = marks.ToList();
        return new JsonObject
        {
            ["type"] = "scatter", ["mode"] = "markers", ["yaxis"] = "y2", ["name"] = name,
            ["x"] = new JsonArray(list.Select(m => (JsonNode)PlotlyText.Date(m.Time)).ToArray()),
            ["y"] = new JsonArray(list.Select(m => (JsonNode)m.Drug).ToArray()),
            ["customdata"] = new JsonArray(list.Select(m => (JsonNode?)(m.EventId is null ? null : "e:" + m.EventId)).ToArray()),
            ["text"] = new JsonArray(list.Select(m => (JsonNode)m.Hover).ToArray()),
            ["hovertemplate"] = "%{text}<extra></extra>",
            ["marker"] = new JsonObject { ["color"] = "#2e6b30", ["size"] = 11, ["symbol"] = symbol },
        };
    }

    private static string Hover(LabSeries s, SeriesPoint p) =>
        $"<b>{PlotlyText.Html(s.Name)}</b><br>{PlotlyText.Date(p.Time)}<br>{EventText.Number(p.Value)} {PlotlyText.Html(s.Unit)}{(p.Abnormal ? " <b>abnormal</b>" : "")}";

    private static JsonArray Dates(IReadOnlyList<SeriesPoint> points) => new(points.Select(p => (JsonNode)PlotlyText.Date(p.Time)).ToArray());
    private static JsonArray Values(IReadOnlyList<SeriesPoint> points) => new(points.Select(p => (JsonNode)p.Value).ToArray());
    private static JsonArray Keys(IReadOnlyList<SeriesPoint> points) => new(points.Select(p => (JsonNode)("e:" + p.EventId)).ToArray());
}
