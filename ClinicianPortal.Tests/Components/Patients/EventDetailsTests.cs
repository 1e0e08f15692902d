using ClinicianPortal.Components.Patients;
using ClinicianPortal.Shared.Records;
using static ClinicianPortal.Tests.Components.Patients.SampleEvents;

namespace ClinicianPortal.Tests.Components.Patients;

public class EventDetailsTests
{
    [Fact]
    public async Task Details_show_codes_with_systems_value_range_interpretation_and_pretty_printed_source_json()
    {
        var lab = Potassium("obs-1", Day(2020, 1, 2), 5.9, "H") with
        {
            SourceJson = """{"resourceType":"Observation","id":"obs-1","valueQuantity":{"value":5.9,"unit":"mmol/L"}}""",
        };
        await using var renderer = new StaticRenderer();

        var html = StaticRenderer.Decoded(await renderer.RenderAsync<EventDetails>(new() { [nameof(EventDetails.Event)] = lab }));

        Assert.Contains("LOINC", html, StringComparison.Ordinal);
        Assert.Contains("2823-3", html, StringComparison.Ordinal);
        Assert.Contains("5.9 mmol/L", html, StringComparison.Ordinal);
        Assert.Contains("3.5–5.1", html, StringComparison.Ordinal);
        Assert.Contains("high", html, StringComparison.Ordinal);
        // The source resource, indented one property per line.
        Assert.Contains("\"resourceType\": \"Observation\",\n", html, StringComparison.Ordinal);
        Assert.Contains("\"value\": 5.9", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Details_of_a_note_show_its_text_and_escape_markup_in_it()
    {
        var note = Event("n1", EventKind.Note, "Progress note", Day(2021, 6, 7), "current") with
        {
            Text = "Patient reports chest pain <script>alert(1)</script> on exertion.",
        };
        await using var renderer = new StaticRenderer();

        var html = await renderer.RenderAsync<EventDetails>(new() { [nameof(EventDetails.Event)] = note });

        Assert.Contains("Patient reports chest pain", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Source_that_is_not_json_is_shown_as_stored()
    {
        Assert.Equal("not json {", EventDetails.PrettyJson("not json {"));
    }
}
