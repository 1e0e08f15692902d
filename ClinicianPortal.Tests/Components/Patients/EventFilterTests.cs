using ClinicianPortal.Components.Patients;
using ClinicianPortal.Shared.Records;
using static ClinicianPortal.Tests.Components.Patients.SampleEvents;

namespace ClinicianPortal.Tests.Components.Patients;

public class EventFilterTests
{
    private static readonly ClinicalEvent[] Events =
    [
        Potassium("k1", Day(2020, 1, 1), 4.2, "N"),
        Potassium("k2", Day(2020, 1, 31), 5.9, "H"),
        Event("n1", EventKind.Note, "Progress note", Day(2020, 1, 15)) with { Text = "Complains of dyspnoea on exertion." },
        Event("c1", EventKind.Condition, "Hypertension", null),
    ];

    [Fact]
    public void Kind_and_inclusive_date_range_select_the_events_of_those_days()
    {
        var shown = new EventFilter { Kind = EventKind.Observation, From = new DateTime(2020, 1, 31), To = new DateTime(2020, 1, 31) }.Apply(Events);

        Assert.Equal(["k2"], shown.Select(e => e.Id));
    }

    [Fact]
    public void Text_matches_note_text_and_codes_regardless_of_case()
    {
        Assert.Equal(["n1"], new EventFilter { Text = "DYSPNOEA" }.Apply(Events).Select(e => e.Id));
        Assert.Equal(["k1", "k2"], new EventFilter { Text = "2823-3" }.Apply(Events).Select(e => e.Id));
    }

    [Fact]
    public void An_empty_filter_keeps_undated_events()
    {
        Assert.Equal(4, new EventFilter().Apply(Events).Count);
    }
}
