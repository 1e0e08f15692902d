using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Tests.Reasoning.Findings;

/// <summary>Hand-built records: events at hours relative to a fixed review time.</summary>
internal sealed class ChartBuilder
{
    public static readonly DateTimeOffset Now = new(2025, 5, 31, 12, 0, 0, TimeSpan.Zero);

    private readonly List<ClinicalEvent> _events = [];
    private int _next;

    public string Sex { get; init; } = "male";
    public DateOnly? BirthDate { get; init; } = new DateOnly(1960, 1, 1);

    public static DateTimeOffset HoursAgo(double hours) => Now.AddHours(-hours);

    public string Lab(string loinc, double? value, string? unit, double hoursAgo, string? text = null, string category = "laboratory", string? interpretation = null) =>
        Add(new ClinicalEvent
        {
            Id = NextId(), PatientId = "P1", Kind = EventKind.Observation, ResourceType = "Observation", Start = HoursAgo(hoursAgo),
            Title = "Lab " + loinc, Codes = [new Coding(Coding.Loinc, loinc, "Lab " + loinc)], Category = category, Status = "final",
            Value = value is { } v ? new Quantity(v, unit, unit) : null, ValueText = text, Interpretation = interpretation, SourceJson = "{}",
        });

    public string BloodPressure(double systolic, double diastolic, double hoursAgo) =>
        Add(new ClinicalEvent
        {
            Id = NextId(), PatientId = "P1", Kind = EventKind.Observation, ResourceType = "Observation", Start = HoursAgo(hoursAgo),
            Title = "Blood pressure panel", Codes = [new Coding(Coding.Loinc, "85354-9", "Blood pressure panel")], Category = "vital-signs",
            Components =
            [
                new ObservationComponent(new Coding(Coding.Loinc, "8480-6", "Systolic blood pressure"), new Quantity(systolic, "mm[Hg]", "mm[Hg]"), null, null),
                new ObservationComponent(new Coding(Coding.Loinc, "8462-4", "Diastolic blood pressure"), new Quantity(diastolic, "mm[Hg]", "mm[Hg]"), null, null),
            ],
            SourceJson = "{}",
        });

    public string Condition(string system, string code, double hoursAgo, string status = "active", double? endedHoursAgo = null, string? encounter = null) =>
        Add(new ClinicalEvent
        {
            Id = NextId(), PatientId = "P1", Kind = EventKind.Condition, ResourceType = "Condition", Start = HoursAgo(hoursAgo),
            End = endedHoursAgo is { } e ? HoursAgo(e) : null, Title = "Condition " + code, Codes = [new Coding(system, code, "Condition " + code)],
            Status = status, EncounterId = encounter, SourceJson = "{}",
        });

    public string Encounter(double hoursAgo) =>
        Add(new ClinicalEvent
        {
            Id = NextId(), PatientId = "P1", Kind = EventKind.Encounter, ResourceType = "Encounter", Start = HoursAgo(hoursAgo),
            Title = "Emergency room admission", Category = "EMER", Status = "in-progress", SourceJson = "{}",
        });

    public string Medication(string? rxnorm, string title, double hoursAgo, string status = "active") =>
        Add(new ClinicalEvent
        {
            Id = NextId(), PatientId = "P1", Kind = EventKind.Medication, ResourceType = "MedicationRequest", Start = HoursAgo(hoursAgo),
            Title = title, Codes = [new Coding(Coding.RxNorm, rxnorm, title)], Status = status, SourceJson = "{}",
        });

    public string Note(string text, double hoursAgo, string? encounter = null) =>
        Add(new ClinicalEvent
        {
            Id = NextId(), PatientId = "P1", Kind = EventKind.Note, ResourceType = "DocumentReference", Start = HoursAgo(hoursAgo),
            Title = "Progress note", Text = text, EncounterId = encounter, SourceJson = "{}",
        });

    public PatientRecord Build() => PatientRecord.Build(
        new PatientSummary { Id = "P1", Sex = Sex, BirthDate = BirthDate, SourceJson = "{}" }, _events);

    private string Add(ClinicalEvent e)
    {
        _events.Add(e);
        return e.Id;
    }

    private string NextId() => $"EV-{++_next:D4}";
}

/// <summary>Small knowledge bases holding just the findings a test reads.</summary>
internal static class TestFindings
{
    public static KnowledgeBase With(params Finding[] findings) => new([], findings, [], []);

    public static Finding Observation(string id, string loinc, string comparator, double threshold, string unit, FindingKind kind = FindingKind.Lab) => new()
    {
        Id = id, Name = id, Kind = kind,
        Detection = new Detection { Observations = [new ObservationCriterion { Loinc = [loinc], Comparator = comparator, Threshold = threshold, Unit = unit }] },
    };

    public static Finding Trend(string id, string loinc, TrendMeasure measure, string comparator, double threshold, string unit, double? windowHours) => new()
    {
        Id = id, Name = id, Kind = FindingKind.Lab,
        Detection = new Detection { Trends = [new TrendCriterion { Loinc = [loinc], Measure = measure, Comparator = comparator, Threshold = threshold, Unit = unit, WindowHours = windowHours }] },
    };

    public static Finding Phrases(string id, FindingKind kind, params string[] phrases) => new()
    {
        Id = id, Name = id, Kind = kind, Detection = new Detection { Phrases = phrases },
    };
}
