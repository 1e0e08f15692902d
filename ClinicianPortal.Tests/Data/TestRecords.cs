using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Tests.Data;

/// <summary>Hand-made de-identified records for store tests (the importer's output shape, without the importer).</summary>
public static class TestRecords
{
    public static PatientSummary Patient(string id, string sex = "female", int? age = 45, bool over89 = false) => new()
    {
        Id = id,
        Sex = sex,
        Age = over89 ? 90 : age,
        IsOver89 = over89,
        BirthDate = over89 || age is null ? null : new DateOnly(2024 - age.Value, 3, 14),
        DeceasedDate = null,
        State = "Massachusetts",
        SourceJson = $$"""{"resourceType":"Patient","id":"{{id}}"}""",
    };

    public static ClinicalEvent Encounter(string id, string patientId, DateTimeOffset start) => new()
    {
        Id = id,
        PatientId = patientId,
        Kind = EventKind.Encounter,
        ResourceType = "Encounter",
        Start = start,
        End = start.AddMinutes(30),
        Title = "General examination of patient",
        Codes = [new Coding(Coding.Snomed, "162673000", "General examination of patient")],
        Status = "finished",
        Category = "AMB",
        SourceJson = $$"""{"resourceType":"Encounter","id":"{{id}}"}""",
    };

    public static ClinicalEvent Condition(string id, string patientId, string title, string status = "active", DateTimeOffset? start = null, string? encounterId = null) => new()
    {
        Id = id,
        PatientId = patientId,
        Kind = EventKind.Condition,
        ResourceType = "Condition",
        Start = start ?? new DateTimeOffset(2015, 6, 1, 9, 0, 0, TimeSpan.Zero),
        End = status == "resolved" ? (start ?? new DateTimeOffset(2015, 6, 1, 9, 0, 0, TimeSpan.Zero)).AddDays(20) : null,
        Title = title,
        Codes = [new Coding(Coding.Snomed, "38341003", title)],
        Status = status,
        Category = "problem-list-item",
        EncounterId = encounterId,
        SourceJson = $$"""{"resourceType":"Condition","id":"{{id}}"}""",
    };

    /// <summary>An event with every field set, including components, range and a non-UTC offset.</summary>
    public static ClinicalEvent FullObservation(string id, string patientId, string encounterId) => new()
    {
        Id = id,
        PatientId = patientId,
        Kind = EventKind.Observation,
        ResourceType = "Observation",
        Start = new DateTimeOffset(2019, 2, 3, 4, 5, 6, 789, TimeSpan.FromHours(-5)),
        End = new DateTimeOffset(2019, 2, 3, 5, 0, 0, TimeSpan.FromHours(2)),
        Title = "Blood pressure panel with all children optional",
        Codes = [new Coding(Coding.Loinc, "85354-9", "Blood pressure panel"), new Coding("urn:local", "BP", null)],
        Status = "final",
        Category = "vital-signs",
        Value = new Quantity(128.25, "mm[Hg]", "mm[Hg]"),
        ValueText = "elevated — ünïcode «text»",
        Range = new ReferenceRange(90, 120, "90-120 mmHg"),
        Interpretation = "H",
        Components =
        [
            new ObservationComponent(new Coding(Coding.Loinc, "8480-6", "Systolic blood pressure"), new Quantity(128.25, "mm[Hg]", "mm[Hg]"), null, "H"),
            new ObservationComponent(new Coding(Coding.Loinc, "8462-4", "Diastolic blood pressure"), null, "not measured", null),
        ],
        EncounterId = encounterId,
        Text = "Line one\nLine two with 'quotes' and \"double quotes\" and 100% _under_",
        SourceJson = $$"""{"resourceType":"Observation","id":"{{id}}","note":"x"}""",
    };

    public static ImportBatch Batch(string sourceName, IEnumerable<PatientSummary>? patients = null, IEnumerable<ClinicalEvent>? events = null,
        IEnumerable<IdentifierHash>? hashes = null, IEnumerable<string>? externalPatients = null, IEnumerable<string>? externalEvents = null) => new()
    {
        SourceName = sourceName,
        Patients = [.. patients ?? []],
        Events = [.. events ?? []],
        IdentifierHashes = [.. hashes ?? []],
        ExternalPatientIds = [.. externalPatients ?? []],
        ExternalEventIds = [.. externalEvents ?? []],
    };
}
