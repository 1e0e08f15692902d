using System.Globalization;
using System.Text.Json.Nodes;
using ClinicianPortal.Components.Charts;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Components.Patients;

/// <summary>One point on a timeline lane: a single event, or a bucket of many events of the lane's kind.</summary>
/// <param name="Key">What a click on the point selects (see <see cref="Timeline.Find"/>).</param>
public sealed record TimelinePoint(string Key, EventKind Kind, DateTimeOffset Time, int Count, string Hover, string? EventId, DateTimeOffset From, DateTimeOffset To);

/// <summary>One lane (event kind) of the timeline, with the bucket size its points were grouped by.</summary>
public sealed record TimelineLane(EventKind Kind, string Label, int EventCount, TimelineBucket Bucket, IReadOnlyList<TimelinePoint> Points);

/// <summary>How a lane's events are grouped: one point per event, or one per day, week, month...</summary>
public enum TimelineBucket { None, Day, Week, Month, Quarter, Year }

/// <summary>A patient's events laid out in lanes per kind, ready to draw.</summary>
public sealed class Timeline
{
    private readonly Dictionary<string, TimelinePoint> byKey;

    public Timeline(IReadOnlyList<TimelineLane> lanes, int undatedCount)
    {
        Lanes = lanes;
        UndatedCount = undatedCount;
        byKey = lanes.SelectMany(l => l.Points).ToDictionary(p => p.Key);
    }

    public IReadOnlyList<TimelineLane> Lanes { get; }
    /// <summary>Events without a date: in the list view only.</summary>
    public int UndatedCount { get; }

    public TimelinePoint? Find(string key) => byKey.GetValueOrDefault(key);
}

/// <summary>
/// Turns a patient's events into timeline lanes. A lane with many events (a patient with 10,000
/// observations) is drawn as buckets, per day and coarser until the lane has few enough points for
/// the browser to stay responsive; every event stays reachable through the list view.
/// </summary>
public sealed class TimelineBuilder
{
    /// <summary>Lanes with at most this many events are drawn one point per event.</summary>
    public int MaxPointsPerLane { get; init; } = 400;

    /// <summary>Lanes from top to bottom, as a clinician reads a chart.</summary>
    public static readonly IReadOnlyList<EventKind> LaneOrder =
    [
        EventKind.Encounter, EventKind.Condition, EventKind.Medication, EventKind.Observation, EventKind.Report,
        EventKind.Procedure, EventKind.Immunization, EventKind.Note, EventKind.Allergy, EventKind.CarePlan,
    ];

    public static string LaneLabel(EventKind kind) => kind switch
    {
        EventKind.Encounter => "Encounters",
        EventKind.Condition => "Problems",
        EventKind.Observation => "Labs & vitals",
        EventKind.Medication => "Medications",
        EventKind.Procedure => "Procedures",
        EventKind.Allergy => "Allergies",
        EventKind.Immunization => "Immunizations",
        EventKind.Report => "Reports",
        EventKind.Note => "Notes",
        EventKind.CarePlan => "Care plans",
        _ => kind.ToString(),
    };

    /// <summary>One event of the kind, as a heading names it ("Problem", "Lab or vital sign").</summary>
    public static string KindName(EventKind kind) => kind switch
    {
        EventKind.Condition => "Problem",
        EventKind.Observation => "Lab or vital sign",
        EventKind.CarePlan => "Care plan",
        _ => kind.ToString(),
    };

    public Timeline Build(IReadOnlyList<ClinicalEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var lanes = new List<TimelineLane>();
        foreach (var kind in LaneOrder)
        {
            var dated = events.Where(e => e.Kind == kind && e.Start is not null).OrderBy(e => e.Start).ToList();
            if (dated.Count == 0) continue;
            var (bucket, points) = dated.Count <= MaxPointsPerLane ? (TimelineBucket.None, dated.Select(Single).ToList()) : Bucketed(kind, dated);
            lanes.Add(new TimelineLane(kind, LaneLabel(kind), dated.Count, bucket, points));
        }
        return new Timeline(lanes, events.Count(e => e.Start is null));
    }

    private static TimelinePoint Single(ClinicalEvent e)
    {
        var start = e.Start!.Value;
        var hover = $"<b>{PlotlyText.Html(e.Title)}</b><br>{PlotlyText.Date(start)}";
        if (EventText.Value(e) is { Length: > 0 } value) hover += "<br>" + PlotlyText.Html(value);
        return new TimelinePoint("e:" + e.Id, e.Kind, start, 1, hover, e.Id, start, e.End ?? start);
    }

    private (TimelineBucket, List<TimelinePoint>) Bucketed(EventKind kind, List<ClinicalEvent> dated)
    {
        foreach (var bucket in new[] { TimelineBucket.Day, TimelineBucket.Week, TimelineBucket.Month, TimelineBucket.Quarter, TimelineBucket.Year })
        {
            var groups = dated.GroupBy(e => BucketStart(e.Start!.Value, bucket)).ToList();
            if (groups.Count > MaxPointsPerLane && bucket != TimelineBucket.Year) continue;
            var points = groups.Select(g =>
            {
                var items = g.ToList();
                if (items.Count == 1) return Single(items[0]);
                var from = g.Key;
                var to = BucketEnd(from, bucket);
                var hover = $"<b>{items.Count} {PlotlyText.Html(LaneLabel(kind).ToLowerInvariant())}</b><br>{BucketText(from, bucket)}<br>click to list them";
                return new TimelinePoint($"b:{kind}:{from.UtcTicks}", kind, from, items.Count, hover, null, from, to);
            }).ToList();
            return (bucket, points);
        }
        throw new InvalidOperationException("unreachable: the year bucket always returns");
    }

    private static DateTimeOffset BucketStart(DateTimeOffset t, TimelineBucket bucket)
    {
        var day = new DateTimeOffset(t.Year, t.Month, t.Day, 0, 0, 0, t.Offset);
        return bucket switch
        {
            TimelineBucket.Day => day,
            TimelineBucket.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            TimelineBucket.Month => new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, t.Offset),
            TimelineBucket.Quarter => new DateTimeOffset(t.Year, (t.Month - 1) / 3 * 3 + 1, 1, 0, 0, 0, t.Offset),
            _ => new DateTimeOffset(t.Year, 1, 1, 0, 0, 0, t.Offset),
        };
    }

    private static DateTimeOffset BucketEnd(DateTimeOffset start, TimelineBucket bucket) => bucket switch
    {
        TimelineBucket.Day => start.AddDays(1),
        TimelineBucket.Week => start.AddDays(7),
        TimelineBucket.Month => start.AddMonths(1),
        TimelineBucket.Quarter => start.AddMonths(3),
        _ => start.AddYears(1),
    };

    private static string BucketText(DateTimeOffset start, TimelineBucket bucket) => bucket switch
    {
        TimelineBucket.Day => PlotlyText.Day(start),
        TimelineBucket.Week => "week of " + PlotlyText.Day(start),
        TimelineBucket.Month => start.ToString("MMMM yyyy", CultureInfo.InvariantCulture),
        TimelineBucket.Quarter => $"Q{(start.Month - 1) / 3 + 1} {start.Year}",
        _ => start.Year.ToString(CultureInfo.InvariantCulture),
    };

    // Colour and a distinct marker symbol per lane, so lanes differ without relying on colour.
    private static readonly Dictionary<EventKind, (string Color, string Symbol)> LaneStyle = new()
    {
        [EventKind.Encounter] = ("#1f4e79", "square"),
        [EventKind.Condition] = ("#8e3b00", "diamond"),
        [EventKind.Medication] = ("#2e6b30", "triangle-up"),
        [EventKind.Observation] = ("#005f73", "circle"),
        [EventKind.Report] = ("#5b4a8b", "pentagon"),
        [EventKind.Procedure] = ("#7a2048", "star"),
        [EventKind.Immunization] = ("#3b5b00", "cross"),
        [EventKind.Note] = ("#4a4a4a", "hexagon"),
        [EventKind.Allergy] = ("#b00020", "x"),
        [EventKind.CarePlan] = ("#6b4f00", "triangle-down"),
    };

    /// <summary>The name of the trace that rings a highlighted event.</summary>
    public const string HighlightTrace = "Highlighted";

    /// <summary>
    /// The timeline as a plotly figure: one scatter trace per lane on a zoomable date axis with a range slider;
    /// <paramref name="highlighted"/> (a dated event, e.g. a clicked citation) gets a ring on its lane at its date.
    /// </summary>
    public static PlotlyFigure ToFigure(Timeline timeline, ClinicalEvent? highlighted = null)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        var data = new JsonArray();
        foreach (var lane in timeline.Lanes)
        {
            var (color, symbol) = LaneStyle[lane.Kind];
            data.Add(new JsonObject
            {
                ["type"] = "scatter",
                ["mode"] = "markers",
                ["name"] = lane.Label,
                ["x"] = new JsonArray(lane.Points.Select(p => (JsonNode)PlotlyText.Date(p.Time)).ToArray()),
                ["y"] = new JsonArray(lane.Points.Select(_ => (JsonNode)lane.Label).ToArray()),
                ["customdata"] = new JsonArray(lane.Points.Select(p => (JsonNode)p.Key).ToArray()),
                ["text"] = new JsonArray(lane.Points.Select(p => (JsonNode)p.Hover).ToArray()),
                ["hovertemplate"] = "%{text}<extra></extra>",
                ["marker"] = new JsonObject
                {
                    ["color"] = color,
                    ["symbol"] = symbol,
                    ["opacity"] = 0.8,
                    // Buckets grow a little with the number of events they hold (log scale, capped), so dense lanes stay readable.
                    ["size"] = new JsonArray(lane.Points.Select(p => (JsonNode)Math.Min(16, 9 + 1.5 * Math.Log2(p.Count))).ToArray()),
                    ["line"] = new JsonObject { ["width"] = 1, ["color"] = "#ffffff" },
                },
            });
        }
        if (highlighted is { Start: { } at } && timeline.Lanes.FirstOrDefault(l => l.Kind == highlighted.Kind) is { } highlightLane)
        {
            // The ring's click opens the same point as the lane's (the event, or the bucket that holds it).
            var key = highlightLane.Points.FirstOrDefault(p => p.EventId == highlighted.Id)?.Key
                ?? highlightLane.Points.FirstOrDefault(p => p.From <= at && at < p.To)?.Key;
            data.Add(new JsonObject
            {
                ["type"] = "scatter",
                ["mode"] = "markers",
                ["name"] = HighlightTrace,
                ["x"] = new JsonArray(PlotlyText.Date(at)),
                ["y"] = new JsonArray(highlightLane.Label),
                ["customdata"] = new JsonArray((JsonNode?)key),
                ["text"] = new JsonArray("Highlighted: " + PlotlyText.Html(highlighted.Title)),
                ["hovertemplate"] = "%{text}<extra></extra>",
                ["marker"] = new JsonObject
                {
                    ["symbol"] = "circle-open",
                    ["size"] = 26,
                    ["color"] = "#c2410c",
                    ["line"] = new JsonObject { ["width"] = 3, ["color"] = "#c2410c" },
                },
            });
        }
        var height = Math.Max(260, 110 + 38 * timeline.Lanes.Count);
        var labels = timeline.Lanes.Select(l => (JsonNode)l.Label).ToArray();
        var layout = new JsonObject
        {
            ["height"] = height,
            ["margin"] = new JsonObject { ["l"] = 110, ["r"] = 16, ["t"] = 8, ["b"] = 8 },
            ["showlegend"] = false,
            ["hovermode"] = "closest",
            ["font"] = new JsonObject { ["family"] = "system-ui, sans-serif", ["size"] = 13, ["color"] = "#1b1f24" },
            ["plot_bgcolor"] = "#ffffff",
            ["paper_bgcolor"] = "#ffffff",
            ["xaxis"] = new JsonObject
            {
                ["type"] = "date",
                ["gridcolor"] = "#e3e7ec",
                ["rangeslider"] = new JsonObject { ["visible"] = true, ["thickness"] = 0.08 },
                ["rangeselector"] = new JsonObject
                {
                    ["buttons"] = new JsonArray(
                        new JsonObject { ["count"] = 1, ["label"] = "1y", ["step"] = "year", ["stepmode"] = "backward" },
                        new JsonObject { ["count"] = 5, ["label"] = "5y", ["step"] = "year", ["stepmode"] = "backward" },
                        new JsonObject { ["step"] = "all", ["label"] = "All" }),
                },
            },
            ["yaxis"] = new JsonObject
            {
                ["type"] = "category",
                ["categoryorder"] = "array",
                ["categoryarray"] = new JsonArray(labels),
                ["autorange"] = "reversed",
                ["fixedrange"] = true,
                ["gridcolor"] = "#eef1f4",
            },
        };
        return new PlotlyFigure(new JsonObject { ["data"] = data, ["layout"] = layout }.ToJsonString(), height);
    }
}
