using ClinicianPortal.Shared.Reasoning.Findings;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using ClinicianPortal.Shared.Records;
using ClinicianPortal.Tests.Reasoning.Differential;
using ClinicianPortal.Tests.Records;

namespace ClinicianPortal.Tests.Reasoning.Orchestration;

/// <summary>The deterministic orchestrator over the real extractor and the real compiled model (ONNX Runtime, CPU).</summary>
public sealed class CaseReviewFixture : IDisposable
{
    public CaseReviewFixture()
    {
        Reviewer = new CaseReviewer(Differential.Knowledge, new FindingExtractor(Differential.Knowledge), Differential.Engine);
    }

    public DifferentialFixture Differential { get; } = new();
    public CaseReviewer Reviewer { get; }

    /// <summary>Every patient of a FHIR file, de-identified in memory as the importer would.</summary>
    public static async Task<IReadOnlyList<PatientRecord>> ReadRecordsAsync(string path)
    {
        var batch = await ImportTestKit.ReadFileAsync(path);
        return [.. batch.Patients.Select(p => PatientRecord.Build(p, batch.Events.Where(e => e.PatientId == p.Id)))];
    }

    public void Dispose() => Differential.Dispose();
}

/// <summary>Hand-built records: a patient and events with readable ids.</summary>
internal static class Charts
{
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 2, 0, 0, TimeSpan.Zero);

    public static PatientSummary Patient(string sex = "female", int birthYear = 1960) => new()
    {
        Id = "PT-TEST", Sex = sex, BirthDate = new DateOnly(birthYear, 5, 1), SourceJson = "{}",
    };

    public static ClinicalEvent Encounter(string id, string classCode, DateTimeOffset start) => new()
    {
        Id = id, PatientId = "PT-TEST", Kind = EventKind.Encounter, ResourceType = "Encounter", Start = start,
        Title = "Encounter", Category = classCode, SourceJson = "{}",
    };

    public static ClinicalEvent Note(string id, string text, DateTimeOffset start, string? encounter = null) => new()
    {
        Id = id, PatientId = "PT-TEST", Kind = EventKind.Note, ResourceType = "DocumentReference", Start = start,
        Title = "Emergency department note", Text = text, EncounterId = encounter, SourceJson = "{}",
    };

    public static ClinicalEvent Lab(string id, string loinc, string display, double value, string unit, DateTimeOffset start, string? encounter = null) => new()
    {
        Id = id, PatientId = "PT-TEST", Kind = EventKind.Observation, ResourceType = "Observation", Start = start,
        Title = display, Codes = [new Coding(Coding.Loinc, loinc, display)], Status = "final", Category = "laboratory",
        Value = new Quantity(value, unit, unit), EncounterId = encounter, SourceJson = "{}",
    };

    /// <summary>An emergency presentation of pleuritic chest pain with tachycardia, hypoxia and a raised D-dimer after surgery.</summary>
    public static PatientRecord SuspectedEmbolism(params ClinicalEvent[] extra) => PatientRecord.Build(Patient(), [
        Encounter("enc-ed", "EMER", Now.AddHours(-2)),
        Note("note-ed", "Sudden onset pleuritic chest pain and shortness of breath. Knee replacement surgery two weeks ago. No fever. No cough.", Now.AddHours(-1.5), "enc-ed"),
        Lab("obs-hr", "8867-4", "Heart rate", 118, "/min", Now.AddHours(-1.8), "enc-ed"),
        Lab("obs-spo2", "59408-5", "Oxygen saturation", 89, "%", Now.AddHours(-1.8), "enc-ed"),
        Lab("obs-dd", "48065-7", "D-dimer FEU", 2.4, "ug/mL{FEU}", Now.AddHours(-1), "enc-ed"),
        .. extra]);
}
