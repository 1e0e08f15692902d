using System.Text.Json;
using ClinicianPortal.Shared.Records;
using ClinicianPortal.Tests.Infrastructure;
using static ClinicianPortal.Tests.Records.ImportTestKit;

namespace ClinicianPortal.Tests.Records;

/// <summary>The derived views of a real Synthea record, checked against expectations computed from the raw bundle.</summary>
public class PatientViewsTests
{
    // Hypertension, type 2 diabetes, CKD and coronary disease: a busy problem list and many labs.
    private static readonly string BundlePath = TestEnvironment.SharedData("synthea", "Coleman_Ortiz_70e00093-a3d5-42bc-8186-eface8432c02.json");

    private static async Task<PatientRecord> RecordAsync()
    {
        var batch = await ReadFileAsync(BundlePath);
        return PatientRecord.Build(batch.Patients[0], batch.Events);
    }

    private static List<JsonElement> Raw(string type)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(BundlePath));
        return doc.RootElement.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource").Clone())
            .Where(r => r.GetProperty("resourceType").GetString() == type).ToList();
    }

    private static string? Category(JsonElement r) =>
        r.TryGetProperty("category", out var c) ? c[0].GetProperty("coding")[0].GetProperty("code").GetString() : null;

    [Fact]
    public async Task Active_problems_are_unresolved_conditions_once_per_code_latest_onset_first()
    {
        var record = await RecordAsync();
        var expected = Raw("Condition")
            .Where(r => r.GetProperty("clinicalStatus").GetProperty("coding")[0].GetProperty("code").GetString() is "active" or "recurrence" or "relapse"
                        && !r.TryGetProperty("abatementDateTime", out _))
            .Select(r => r.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString())
            .ToHashSet();

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), record.ActiveProblems.Select(p => p.CodeIn(Coding.Snomed)).Order());
        Assert.Equal(record.ActiveProblems.Count, record.ActiveProblems.Select(p => p.CodeIn(Coding.Snomed)).Distinct().Count());
        Assert.Equal(record.ActiveProblems.OrderByDescending(p => p.Start).Select(p => p.Id), record.ActiveProblems.Select(p => p.Id));
        Assert.Contains(record.ActiveProblems, p => p.Title == "Hypertension");
    }

    [Fact]
    public async Task Active_medications_are_deduplicated_by_RxNorm_code()
    {
        var record = await RecordAsync();
        var expected = Raw("MedicationRequest")
            .Where(r => r.GetProperty("status").GetString() == "active")
            .Select(r => r.GetProperty("medicationCodeableConcept").GetProperty("coding")[0].GetProperty("code").GetString())
            .ToHashSet();

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), record.ActiveMedications.Select(m => m.CodeIn(Coding.RxNorm)).Order());
    }

    [Fact]
    public async Task Labs_are_one_series_per_LOINC_code_oldest_first()
    {
        var record = await RecordAsync();
        var expected = Raw("Observation")
            .Where(r => Category(r) == "laboratory" && r.TryGetProperty("valueQuantity", out _))
            .GroupBy(r => r.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString()!)
            .ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(expected.Keys.Order(), record.Labs.Select(l => l.Code).Order());
        foreach (var series in record.Labs)
        {
            Assert.Equal(expected[series.Code], series.Points.Count);
            Assert.Equal(series.Points.OrderBy(p => p.Time).Select(p => p.EventId), series.Points.Select(p => p.EventId));
            Assert.All(series.Points, p => Assert.Contains(p.EventId, record.Events.Select(e => e.Id)));
        }
        var hba1c = Assert.Single(record.Labs, l => l.Code == "4548-4");
        Assert.Equal("%", hba1c.Unit);
    }

    [Fact]
    public async Task Blood_pressure_panels_become_systolic_and_diastolic_series()
    {
        var record = await RecordAsync();
        var panels = Raw("Observation").Count(r => r.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString() == "55284-4");

        var systolic = Assert.Single(record.Vitals, v => v.Code == "8480-6");
        var diastolic = Assert.Single(record.Vitals, v => v.Code == "8462-4");
        Assert.True(panels > 0);
        Assert.Equal(panels, systolic.Points.Count);
        Assert.Equal(panels, diastolic.Points.Count);
        Assert.DoesNotContain(record.Vitals, v => v.Code == "55284-4");
        Assert.Equal("mm[Hg]", systolic.Unit);
        Assert.All(systolic.Points.Zip(diastolic.Points), p => Assert.True(p.First.Value > p.Second.Value));
        Assert.Contains(record.Vitals, v => v.Code == "8302-2"); // body height
    }

    [Fact]
    public async Task Allergies_are_the_active_allergies_once_per_code()
    {
        var path = TestEnvironment.SharedData("synthea", "Dennis_Durgan_78f005f3-7b33-4a5b-84d9-28417b36dbab.json");
        var batch = await ReadFileAsync(path);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var expected = doc.RootElement.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource"))
            .Where(r => r.GetProperty("resourceType").GetString() == "AllergyIntolerance"
                        && r.GetProperty("clinicalStatus").GetProperty("coding")[0].GetProperty("code").GetString() == "active")
            .Select(r => r.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString())
            .ToHashSet();

        var record = PatientRecord.Build(batch.Patients[0], batch.Events);

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), record.Allergies.Select(a => a.CodeIn(Coding.Snomed)).Order());
        Assert.All(record.Allergies, a => Assert.Equal(EventKind.Allergy, a.Kind));
    }

    [Fact]
    public async Task Events_are_chronological_with_undated_ones_last()
    {
        var record = await RecordAsync();

        var dated = record.Events.TakeWhile(e => e.Start is not null).ToList();
        Assert.Equal(dated.OrderBy(e => e.Start).Select(e => e.Id), dated.Select(e => e.Id));
        Assert.All(record.Events.Skip(dated.Count), e => Assert.Null(e.Start));
    }

    [Fact]
    public void Abnormal_flags_follow_the_interpretation_or_else_the_range()
    {
        var patient = new PatientSummary { Id = "PT-TEST", Sex = "female", SourceJson = "{}" };
        ClinicalEvent Lab(string id, int day, double value, string? interpretation, ReferenceRange? range) => new()
        {
            Id = id, PatientId = patient.Id, Kind = EventKind.Observation, ResourceType = "Observation", Title = "Potassium",
            Codes = [new Coding(Coding.Loinc, "2823-3", "Potassium")], Category = "laboratory", SourceJson = "{}",
            Start = new DateTimeOffset(2024, 1, day, 8, 0, 0, TimeSpan.Zero), Value = new Quantity(value, "mmol/L", "mmol/L"),
            Interpretation = interpretation, Range = range,
        };
        var events = new[]
        {
            Lab("EV-3", 3, 6.1, null, new ReferenceRange(3.5, 5.1, null)),   // above range, no interpretation
            Lab("EV-1", 1, 4.2, "N", new ReferenceRange(3.5, 5.0, null)),    // normal
            Lab("EV-2", 2, 4.4, "H", null),                                  // flagged by the lab
            Lab("EV-4", 4, 3.1, null, new ReferenceRange(3.5, 5.1, null)),   // below range
        };

        var series = Assert.Single(PatientRecord.Build(patient, events).Labs);

        Assert.Equal(["EV-1", "EV-2", "EV-3", "EV-4"], series.Points.Select(p => p.EventId));
        Assert.Equal([false, true, true, true], series.Points.Select(p => p.Abnormal));
        Assert.Equal(new ReferenceRange(3.5, 5.1, null), series.Range);
        Assert.Equal("mmol/L", series.Unit);
    }

    [Fact]
    public async Task Planted_record_flags_a_high_HbA1c_computed_from_its_range()
    {
        var batch = await ReadFileAsync(Path.Combine(TestEnvironment.RepositoryRoot, "ClinicianPortal.Tests", "Records", "TestData", "planted-identifiers.json"));
        var patient = batch.Patients.Single(p => p.Sex == "male");

        var record = PatientRecord.Build(patient, batch.Events.Where(e => e.PatientId == patient.Id));

        var a1c = Assert.Single(record.Labs);
        Assert.True(Assert.Single(a1c.Points).Abnormal);
        Assert.Equal(["8462-4", "8480-6"], record.Vitals.Select(v => v.Code).Order());
        Assert.Equal("44054006", Assert.Single(record.ActiveProblems).CodeIn(Coding.Snomed));
        Assert.Equal("860975", Assert.Single(record.ActiveMedications).CodeIn(Coding.RxNorm));
    }
}
