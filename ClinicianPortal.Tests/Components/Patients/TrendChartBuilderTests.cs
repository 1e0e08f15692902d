using System.Text.Json;
using ClinicianPortal.Components.Patients;
using ClinicianPortal.Shared.Records;
using static ClinicianPortal.Tests.Components.Patients.SampleEvents;

namespace ClinicianPortal.Tests.Components.Patients;

public class TrendChartBuilderTests
{
    private static readonly LabSeries Potassium = new("2823-3", "Potassium", "mmol/L", new ReferenceRange(3.5, 5.1, null),
    [
        new SeriesPoint(Day(2020, 1, 1), 4.2, false, "k1"),
        new SeriesPoint(Day(2020, 6, 1), 5.9, true, "k2"),
        new SeriesPoint(Day(2021, 1, 1), 4.8, false, "k3"),
    ]);

    [Fact]
    public void The_chart_shades_the_reference_range_and_marks_only_abnormal_results_red_with_another_symbol()
    {
        var figure = new TrendChartBuilder().ToFigure([Potassium], []);

        using var json = JsonDocument.Parse(figure.Json);
        var band = Assert.Single(json.RootElement.GetProperty("layout").GetProperty("shapes").EnumerateArray());
        Assert.Equal("rect", band.GetProperty("type").GetString());
        Assert.Equal(3.5, band.GetProperty("y0").GetDouble());
        Assert.Equal(5.1, band.GetProperty("y1").GetDouble());
        var abnormal = json.RootElement.GetProperty("data").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Abnormal result");
        Assert.Equal(["e:k2"], abnormal.GetProperty("customdata").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal("diamond", abnormal.GetProperty("marker").GetProperty("symbol").GetString());
        Assert.Equal("#c62828", abnormal.GetProperty("marker").GetProperty("color").GetString());
    }

    [Fact]
    public void Medications_are_marked_from_first_start_to_last_stop_and_those_outside_the_series_are_left_out()
    {
        ClinicalEvent[] medications =
        [
            Event("m1", EventKind.Medication, "Spironolactone 25 MG", Day(2020, 3, 1), "stopped") with { End = Day(2020, 5, 1) },
            Event("m2", EventKind.Medication, "Spironolactone 25 MG", Day(2020, 5, 2), "stopped") with { End = Day(2020, 7, 1) },
            Event("m3", EventKind.Medication, "Lisinopril 10 MG", Day(2020, 8, 1), "active"),
            Event("m4", EventKind.Medication, "Amoxicillin 500 MG", Day(1999, 1, 1), "stopped") with { End = Day(1999, 1, 10) },
        ];

        var spans = new TrendChartBuilder().MedicationSpans([Potassium], medications);

        Assert.Equal(2, spans.Count);
        var spironolactone = spans.Single(s => s.Drug == "Spironolactone 25 MG");
        Assert.Equal(Day(2020, 3, 1), spironolactone.Start);
        Assert.Equal(Day(2020, 7, 1), spironolactone.Stop);
        Assert.Null(spans.Single(s => s.Drug == "Lisinopril 10 MG").Stop);
        var figure = new TrendChartBuilder().ToFigure([Potassium], medications);
        Assert.Contains("Medication started", figure.Json, StringComparison.Ordinal);
        Assert.DoesNotContain("Amoxicillin", figure.Json, StringComparison.Ordinal);
    }

    [Fact]
    public void Choosing_systolic_or_diastolic_pressure_shows_both()
    {
        LabSeries systolic = new("8480-6", "Systolic blood pressure", "mm[Hg]", null, [new SeriesPoint(Day(2020, 1, 1), 150, true, "bp1")]);
        LabSeries diastolic = new("8462-4", "Diastolic blood pressure", "mm[Hg]", null, [new SeriesPoint(Day(2020, 1, 1), 95, true, "bp1")]);
        var record = Record(Patient(), [], vitals: [systolic, diastolic]);

        Assert.Equal([systolic, diastolic], TrendChartBuilder.SeriesFor(record, "vital:8462-4"));
        Assert.Contains("Systolic blood pressure: 1 results, latest 150 mm[Hg] on 2020-01-01 (abnormal)", TrendChartBuilder.Caption([systolic]), StringComparison.Ordinal);
    }
}
