using System.Text.Json;
using ClinicianPortal.Data;
using ClinicianPortal.Import;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Api;

// The /api/v1 contract. These records are the stable, versioned shape integrators code against; the
// internal records they are made from may change. A breaking change here needs /api/v2.

/// <summary>One page of results; <c>total</c> counts every match of the filters.</summary>
public sealed record PageDto<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>A patient in the list: pseudonymous id, demographics, active problems and activity.</summary>
public sealed record PatientListItemDto(string Id, string Sex, string Age, string AgeBand, IReadOnlyList<string> ActiveProblems, int EventCount, DateTimeOffset? LastSeen)
{
    public static PatientListItemDto From(PatientListItem item) =>
        new(item.Patient.Id, item.Patient.Sex, item.Patient.AgeText, item.Patient.AgeBand, item.ActiveProblems, item.EventCount, item.LastSeen);
}

/// <summary>
/// A de-identified patient. Dates are shifted per patient; <c>birthDate</c> is null over 89.
/// <c>source</c> is the de-identified FHIR Patient resource as stored.
/// </summary>
public sealed record PatientDto(string Id, string Sex, DateOnly? BirthDate, DateOnly? DeceasedDate, string Age, string AgeBand, bool IsOver89, string? State, JsonElement Source)
{
    public static PatientDto From(PatientSummary p) =>
        new(p.Id, p.Sex, p.BirthDate, p.DeceasedDate, p.AgeText, p.AgeBand, p.IsOver89, p.State, ParseSource(p.SourceJson));

    internal static JsonElement ParseSource(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

public sealed record CodingDto(string? System, string? Code, string? Display);
public sealed record QuantityDto(double Value, string? Unit, string? UcumCode);
public sealed record RangeDto(double? Low, double? High, string? Text);
public sealed record ComponentDto(CodingDto Code, QuantityDto? Value, string? ValueText, string? Interpretation);

/// <summary>
/// One entry of the timeline. <c>kind</c> is the lane (Encounter, Condition, Observation, Medication, Procedure,
/// Allergy, Immunization, Report, Note, CarePlan); <c>source</c> is the de-identified FHIR resource it came from.
/// </summary>
public sealed record EventDto(
    string Id, string Kind, string ResourceType, DateTimeOffset? Start, DateTimeOffset? End, string Title,
    IReadOnlyList<CodingDto> Codes, string? Status, string? Category, QuantityDto? Value, string? ValueText, RangeDto? Range,
    string? Interpretation, IReadOnlyList<ComponentDto> Components, string? EncounterId, string? Text, JsonElement Source)
{
    public static EventDto From(ClinicalEvent e) => new(
        e.Id, e.Kind.ToString(), e.ResourceType, e.Start, e.End, e.Title,
        [.. e.Codes.Select(Coding)], e.Status, e.Category, Quantity(e.Value), e.ValueText, RangeOf(e.Range), e.Interpretation,
        [.. e.Components.Select(c => new ComponentDto(Coding(c.Code), Quantity(c.Value), c.ValueText, c.Interpretation))],
        e.EncounterId, e.Text, PatientDto.ParseSource(e.SourceJson));

    private static CodingDto Coding(Coding c) => new(c.System, c.Code, c.Display);
    private static QuantityDto? Quantity(Quantity? q) => q is null ? null : new(q.Value, q.Unit, q.UcumCode);
    internal static RangeDto? RangeOf(ReferenceRange? r) => r is null ? null : new(r.Low, r.High, r.Text);
}

/// <summary>One point of a series; <c>eventId</c> is the observation it came from.</summary>
public sealed record SeriesPointDto(DateTimeOffset Time, double Value, bool Abnormal, string EventId);

/// <summary>A lab (per LOINC code) or vital sign over time, with the unit and reference range of the latest result.</summary>
public sealed record SeriesDto(string Code, string Name, string? Unit, RangeDto? Range, IReadOnlyList<SeriesPointDto> Points)
{
    public static SeriesDto From(LabSeries s) =>
        new(s.Code, s.Name, s.Unit, EventDto.RangeOf(s.Range), [.. s.Points.Select(p => new SeriesPointDto(p.Time, p.Value, p.Abnormal, p.EventId))]);
}

/// <summary>The views derived from the whole record, as the patient page shows them.</summary>
public sealed record PatientRecordDto(
    PatientDto Patient, IReadOnlyList<EventDto> Problems, IReadOnlyList<EventDto> Medications, IReadOnlyList<EventDto> Allergies,
    IReadOnlyList<SeriesDto> Labs, IReadOnlyList<SeriesDto> Vitals)
{
    public static PatientRecordDto From(PatientRecord r) => new(
        PatientDto.From(r.Patient), [.. r.ActiveProblems.Select(EventDto.From)], [.. r.ActiveMedications.Select(EventDto.From)],
        [.. r.Allergies.Select(EventDto.From)], [.. r.Labs.Select(SeriesDto.From)], [.. r.Vitals.Select(SeriesDto.From)]);
}

/// <summary>
/// An imported file: resources read per FHIR type, those skipped (types the portal does not keep), and the
/// patients and events stored. <c>fileLabel</c> is the keyed name the import log and server logs use.
/// </summary>
public sealed record ImportResultDto(
    string FileLabel, IReadOnlyDictionary<string, int> ResourceCounts, IReadOnlyDictionary<string, int> SkippedCounts,
    int Resources, int Skipped, int PatientsStored, int EventsStored, double DurationMs)
{
    public static ImportResultDto From(FileImportResult r) => new(
        r.Label, r.ResourceCounts, r.SkippedCounts, r.Resources, r.Skipped, r.Patients, r.Events, Math.Round(r.Duration.TotalMilliseconds, 1));
}
