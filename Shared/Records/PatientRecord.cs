namespace ClinicianPortal.Shared.Records;

/// <summary>One point of a lab or vital-sign series; <see cref="EventId"/> is the observation it came from.</summary>
public sealed record SeriesPoint(DateTimeOffset Time, double Value, bool Abnormal, string EventId);

/// <summary>
/// All results of one code over time (a lab per LOINC code, or one vital sign such as systolic blood
/// pressure), with the reference range and unit of the most recent result.
/// </summary>
public sealed record LabSeries(string Code, string Name, string? Unit, ReferenceRange? Range, IReadOnlyList<SeriesPoint> Points);

/// <summary>
/// A patient's whole de-identified record: the chronological event stream and the views derived from it.
/// Views are computed once, from the events alone, by <see cref="Build"/>.
/// </summary>
public sealed class PatientRecord
{
    public required PatientSummary Patient { get; init; }
    /// <summary>Every event, oldest first.</summary>
    public required IReadOnlyList<ClinicalEvent> Events { get; init; }
    public required IReadOnlyList<ClinicalEvent> ActiveProblems { get; init; }
    public required IReadOnlyList<ClinicalEvent> ActiveMedications { get; init; }
    public required IReadOnlyList<ClinicalEvent> Allergies { get; init; }
    /// <summary>Laboratory results, one series per LOINC code.</summary>
    public required IReadOnlyList<LabSeries> Labs { get; init; }
    /// <summary>Vital signs, one series per code; panel components (blood pressure) become their own series.</summary>
    public required IReadOnlyList<LabSeries> Vitals { get; init; }

    public static PatientRecord Build(PatientSummary patient, IEnumerable<ClinicalEvent> events) =>
        PatientViews.Build(patient, events);
}
