using ClinicianPortal.Components.Patients;
using ClinicianPortal.Shared.Records;
using static ClinicianPortal.Tests.Components.Patients.SampleEvents;

namespace ClinicianPortal.Tests.Components.Patients;

public class PatientHeaderTests
{
    [Fact]
    public async Task Header_shows_90_plus_for_a_patient_over_89_with_allergies_problems_and_medications()
    {
        var allergy = Event("a1", EventKind.Allergy, "Allergy to penicillin", Day(2001, 3, 1), "active") with { Category = "medication" };
        var problem = Event("c1", EventKind.Condition, "Hypertension", Day(2010, 5, 2), "active");
        var medication = Event("m1", EventKind.Medication, "lisinopril 10 MG Oral Tablet", Day(2010, 5, 2), "active");
        var record = Record(Patient(over89: true), [allergy, problem, medication], [problem], [medication], [allergy]);
        await using var renderer = new StaticRenderer();

        var html = StaticRenderer.Decoded(await renderer.RenderAsync<PatientHeader>(new() { [nameof(PatientHeader.Record)] = record }));

        Assert.Equal("90+", StaticRenderer.TextOf(html, "patient-age"));
        Assert.Contains(PatientId, html, StringComparison.Ordinal);
        Assert.Contains("Allergy to penicillin", html, StringComparison.Ordinal);
        Assert.Contains("Hypertension", html, StringComparison.Ordinal);
        Assert.Contains("lisinopril 10 MG Oral Tablet", html, StringComparison.Ordinal);
        Assert.Contains("since 2010-05-02", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Header_says_no_allergies_are_recorded_rather_than_claiming_none_exist()
    {
        var record = Record(Patient(), []);
        await using var renderer = new StaticRenderer();

        var html = StaticRenderer.Decoded(await renderer.RenderAsync<PatientHeader>(new() { [nameof(PatientHeader.Record)] = record }));

        Assert.Contains("No allergies recorded", html, StringComparison.Ordinal);
        Assert.Equal("67", StaticRenderer.TextOf(html, "patient-age"));
    }

    [Fact]
    public async Task A_recorded_no_known_allergy_reads_as_a_statement_not_as_an_allergy()
    {
        var nka = Event("a2", EventKind.Allergy, "No known allergy", Day(2016, 8, 12), "active") with
        {
            Codes = [new Coding(Coding.Snomed, "716186003", "No known allergy")],
        };
        var record = Record(Patient(), [nka], allergies: [nka]);
        await using var renderer = new StaticRenderer();

        var html = StaticRenderer.Decoded(await renderer.RenderAsync<PatientHeader>(new() { [nameof(PatientHeader.Record)] = record }));

        Assert.Contains("No known allergy (recorded 2016-08-12)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("allergy-mark", html, StringComparison.Ordinal);
    }
}
