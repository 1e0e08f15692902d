using System.Text.Json;
using ClinicianPortal.Components.Patients;
using ClinicianPortal.Shared.Records;
using static ClinicianPortal.Tests.Components.Patients.SampleEvents;

namespace ClinicianPortal.Tests.Components.Patients;

public class TimelineBuilderTests
{
    [Fact]
    public void Each_kind_gets_one_lane_in_reading_order_and_undated_events_are_counted()
    {
        ClinicalEvent[] events =
        [
            Potassium("o1", Day(2020, 1, 1), 4.1, "N"),
            Event("e1", EventKind.Encounter, "Office visit", Day(2020, 1, 1)),
            Event("c1", EventKind.Condition, "Hypertension", Day(2019, 2, 3)),
            Event("c2", EventKind.Condition, "Undated problem", null),
        ];

        var timeline = new TimelineBuilder().Build(events);

        Assert.Equal([EventKind.Encounter, EventKind.Condition, EventKind.Observation], timeline.Lanes.Select(l => l.Kind));
        Assert.Equal(1, timeline.UndatedCount);
        var point = timeline.Find("e:c1");
        Assert.NotNull(point);
        Assert.Equal("c1", point.EventId);
    }

    [Fact]
    public void A_lane_with_thousands_of_observations_is_grouped_into_few_points_that_still_hold_every_event()
    {
        var start = Day(2000, 1, 1);
        var events = Enumerable.Range(0, 10_000)
            .Select(i => Potassium($"o{i}", start.AddHours(i * 13), 4 + i % 3, "N"))
            .ToList();

        var timeline = new TimelineBuilder { MaxPointsPerLane = 400 }.Build(events);

        var lane = Assert.Single(timeline.Lanes);
        Assert.NotEqual(TimelineBucket.None, lane.Bucket);
        Assert.InRange(lane.Points.Count, 1, 400);
        Assert.Equal(10_000, lane.Points.Sum(p => p.Count));
        // A bucket covers the events it counts, so a click can list exactly them.
        var bucket = lane.Points.First(p => p.Count > 1);
        var inBucket = events.Count(e => e.Start >= bucket.From && e.Start < bucket.To);
        Assert.Equal(bucket.Count, inBucket);
    }

    [Fact]
    public void The_figure_has_one_trace_per_lane_a_range_slider_and_escaped_hover_text()
    {
        var timeline = new TimelineBuilder().Build([Event("c1", EventKind.Condition, "Fracture <left> & sprain", Day(2019, 2, 3))]);

        var figure = TimelineBuilder.ToFigure(timeline);

        using var json = JsonDocument.Parse(figure.Json);
        var trace = Assert.Single(json.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal("Problems", trace.GetProperty("name").GetString());
        Assert.Equal("e:c1", trace.GetProperty("customdata")[0].GetString());
        Assert.Contains("Fracture &lt;left&gt; &amp; sprain", trace.GetProperty("text")[0].GetString(), StringComparison.Ordinal);
        Assert.True(json.RootElement.GetProperty("layout").GetProperty("xaxis").GetProperty("rangeslider").GetProperty("visible").GetBoolean());
    }
}
