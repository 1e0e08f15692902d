using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Tests.Components.Patients;

/// <summary>Hand-written events for component tests: small, readable, with the fields each test looks at.</summary>
internal static class SampleEvents
{
    public const string PatientId = "pt-7f3a";

    public static DateTimeOffset Day(int year, int month, int day) => new(year, month, day, 9, 30, 0, TimeSpan.Zero);

    public static ClinicalEvent Event(string id, EventKind kind, string title, DateTimeOffset? start, string? status = null) => new()
    {
        Id = id,
        PatientId = PatientId,
        Kind = kind,
        ResourceType = kind switch
        {
            EventKind.Condition => "Condition",
            EventKind.Medication => "MedicationRequest",
            EventKind.Allergy => "AllergyIntolerance",
            EventKind.Note => "DocumentReference",
            EventKind.Encounter => "Encounter",
            _ => "Observation",
        },
        Start = start,
        Title = title,
        Status = status,
        SourceJson = $$"""{"resourceType":"Observation","id":"{{id}}"}""",
    };

    public static ClinicalEvent Potassium(string id, DateTimeOffset time, double value, string interpretation) =>
        Event(id, EventKind.Observation, "Potassium [Moles/volume] in Serum or Plasma", time, "final") with
        {
            Category = "laboratory",
            Codes = [new Coding(Coding.Loinc, "2823-3", "Potassium [Moles/volume] in Serum or Plasma")],
            Value = new Quantity(value, "mmol/L", "mmol/L"),
            Range = new ReferenceRange(3.5, 5.1, null),
            Interpretation = interpretation,
        };

    public static PatientSummary Patient(bool over89 = false) => new()
    {
        Id = PatientId,
        Sex = "female",
        Age = over89 ? 90 : 67,
        IsOver89 = over89,
        State = "Massachusetts",
        SourceJson = """{"resourceType":"Patient"}""",
    };

    public static PatientRecord Record(PatientSummary patient, IReadOnlyList<ClinicalEvent> events,
        IReadOnlyList<ClinicalEvent>? problems = null, IReadOnlyList<ClinicalEvent>? medications = null,
        IReadOnlyList<ClinicalEvent>? allergies = null, IReadOnlyList<LabSeries>? labs = null, IReadOnlyList<LabSeries>? vitals = null) => new()
    {
        Patient = patient,
        Events = events,
        ActiveProblems = problems ?? [],
        ActiveMedications = medications ?? [],
        Allergies = allergies ?? [],
        Labs = labs ?? [],
        Vitals = vitals ?? [],
    };
}
