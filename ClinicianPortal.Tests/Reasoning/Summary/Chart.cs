using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Tests.Reasoning.Summary;

/// <summary>Builds small hand-made records for summary tests: each call adds one event and returns its id.</summary>
internal sealed class Chart
{
    private readonly List<ClinicalEvent> _events = [];
    private int _next;

    public Chart(string sex = "female", DateOnly? birthDate = null, int? age = 70, bool over89 = false)
    {
        Patient = new PatientSummary { Id = "patient-1", Sex = sex, BirthDate = birthDate, Age = age, IsOver89 = over89, SourceJson = "{}" };
    }

    public PatientSummary Patient { get; }

    public static DateTimeOffset On(string date) => DateTimeOffset.Parse(date + "T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    public string Condition(string title, string date, string? snomed = null, string status = "active", string? ended = null) =>
        Add(EventKind.Condition, "Condition", title, date, status, snomed is null ? [] : [new Coding(Coding.Snomed, snomed, title)], end: ended);

    public string Medication(string title, string date, string status = "active", string? ended = null) =>
        Add(EventKind.Medication, "MedicationRequest", title, date, status, [new Coding(Coding.RxNorm, "rx-" + title, title)], end: ended);

    public string Lab(string loinc, string title, string date, double value, string unit, double? low = null, double? high = null, string? interpretation = null) =>
        Add(EventKind.Observation, "Observation", title, date, "final", [new Coding(Coding.Loinc, loinc, title)], "laboratory",
            new Quantity(value, unit, unit), low is null && high is null ? null : new ReferenceRange(low, high, null), interpretation);

    public string Imaging(string loinc, string title, string date, double value, string unit) =>
        Add(EventKind.Observation, "Observation", title, date, "final", [new Coding(Coding.Loinc, loinc, title)], "imaging", new Quantity(value, unit, unit));

    public string BloodPressure(string date, double systolic, double diastolic)
    {
        var id = "e" + ++_next;
        _events.Add(new ClinicalEvent
        {
            Id = id, PatientId = Patient.Id, Kind = EventKind.Observation, ResourceType = "Observation", Title = "Blood pressure panel",
            Start = On(date), Status = "final", Category = "vital-signs", SourceJson = "{}",
            Codes = [new Coding(Coding.Loinc, "85354-9", "Blood pressure panel")],
            Components =
            [
                new ObservationComponent(new Coding(Coding.Loinc, "8480-6", "Systolic blood pressure"), new Quantity(systolic, "mm[Hg]", "mm[Hg]"), null, null),
                new ObservationComponent(new Coding(Coding.Loinc, "8462-4", "Diastolic blood pressure"), new Quantity(diastolic, "mm[Hg]", "mm[Hg]"), null, null),
            ],
        });
        return id;
    }

    public string Encounter(string classCode, string title, DateTimeOffset start, DateTimeOffset? end = null) =>
        Add(EventKind.Encounter, "Encounter", title, null, end is null ? "in-progress" : "finished", [], classCode, start: start, end: end?.ToString("O"));

    public string Note(string encounterId, DateTimeOffset time, string text)
    {
        var id = "e" + ++_next;
        _events.Add(new ClinicalEvent
        {
            Id = id, PatientId = Patient.Id, Kind = EventKind.Note, ResourceType = "DocumentReference", Title = "Emergency department note",
            Start = time, Status = "current", EncounterId = encounterId, Text = text, SourceJson = "{}",
        });
        return id;
    }

    public string Allergy(string title, string date, string? reaction = null) =>
        Add(EventKind.Allergy, "AllergyIntolerance", title, date, "active", [], valueText: reaction);

    public PatientRecord Record() => PatientRecord.Build(Patient, _events);

    /// <summary>The same events handed over in another order (the record sorts them itself).</summary>
    public PatientRecord RecordShuffled() => PatientRecord.Build(Patient, _events.AsEnumerable().Reverse());

    private string Add(EventKind kind, string type, string title, string? date, string status, IReadOnlyList<Coding> codes, string? category = null,
        Quantity? value = null, ReferenceRange? range = null, string? interpretation = null, DateTimeOffset? start = null, string? end = null, string? valueText = null)
    {
        var id = "e" + ++_next;
        _events.Add(new ClinicalEvent
        {
            Id = id, PatientId = Patient.Id, Kind = kind, ResourceType = type, Title = title,
            Start = start ?? (date is null ? null : On(date)),
            End = end is null ? null : end.Contains('T', StringComparison.Ordinal) ? DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture) : On(end),
            Status = status, Codes = codes, Category = category, Value = value, Range = range, Interpretation = interpretation,
            ValueText = valueText, SourceJson = "{}",
        });
        return id;
    }
}
