using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Shared.Reasoning.Summary;

/// <summary>
/// A record cut at a point in time, with lookups the summary needs: events by id, and every numeric
/// series by code (laboratory, vital signs, and measurements filed elsewhere such as LVEF on an echo).
/// </summary>
internal sealed class ChartIndex
{
    private readonly Dictionary<string, ClinicalEvent> _events;
    private readonly Dictionary<string, LabSeries> _series;

    public ChartIndex(PatientRecord record, DateTimeOffset asOf)
    {
        AsOf = asOf;
        // What was known at asOf: events after it are left out (undated ones are kept).
        Record = record.Events.Any(e => e.Start > asOf)
            ? PatientRecord.Build(record.Patient, record.Events.Where(e => e.Start is null || e.Start <= asOf))
            : record;
        _events = new Dictionary<string, ClinicalEvent>(StringComparer.Ordinal);
        foreach (var e in Record.Events) _events.TryAdd(e.Id, e);
        _series = new Dictionary<string, LabSeries>(StringComparer.Ordinal);
        foreach (var s in Record.Labs.Concat(Record.Vitals)) _series.TryAdd(s.Code, s);
        foreach (var s in OtherMeasurements(Record.Events)) _series.TryAdd(s.Code, s);
        IsLab = Record.Labs.Select(s => s.Code).ToHashSet(StringComparer.Ordinal);
    }

    public DateTimeOffset AsOf { get; }
    public PatientRecord Record { get; }
    public IReadOnlySet<string> IsLab { get; }
    public IEnumerable<LabSeries> AllSeries => _series.Values.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.Code, StringComparer.Ordinal);

    public ClinicalEvent? Event(string id) => _events.GetValueOrDefault(id);

    /// <summary>The series of the first listed code present (with the most recent result when several are).</summary>
    public LabSeries? Series(SeriesRule rule) =>
        rule.LoincCodes.Select(c => _series.GetValueOrDefault(c)).OfType<LabSeries>()
            .OrderByDescending(s => s.Points[^1].Time).FirstOrDefault();

    public bool HasActiveMedication(string[] ingredients) => Record.ActiveMedications.Any(m => MedicationClasses.IsIn(m, ingredients));

    /// <summary>Medications on hold now: the latest entry per medication says "on-hold".</summary>
    public IReadOnlyList<ClinicalEvent> HeldMedications =>
        Record.Events.Where(e => e.Kind == EventKind.Medication)
            .GroupBy(e => e.Code?.Code ?? e.Title, StringComparer.Ordinal)
            .Select(g => g.Last())
            .Where(e => e.Status == "on-hold")
            .ToList();

    /// <summary>Numeric observations outside the laboratory and vital-sign categories (imaging, procedures), one series per code.</summary>
    private static IEnumerable<LabSeries> OtherMeasurements(IEnumerable<ClinicalEvent> events) =>
        events.Where(e => e.Kind == EventKind.Observation && e.Value is not null && e.Start is not null
                && e.Category is not ("laboratory" or "vital-signs" or "vital-sign"))
            .GroupBy(e => e.CodeIn(Coding.Loinc) ?? e.Code?.Code ?? e.Title, StringComparer.Ordinal)
            .Select(g =>
            {
                var points = g.OrderBy(e => e.Start).ToList();
                var latest = points[^1];
                return new LabSeries(g.Key, latest.Title, latest.Value!.Unit, latest.Range,
                    points.Select(e => new SeriesPoint(e.Start!.Value, e.Value!.Value, IsAbnormal(e), e.Id)).ToList());
            });

    private static bool IsAbnormal(ClinicalEvent e) =>
        (e.Interpretation is { } i && i != "N")
        || (e.Range?.Low is double low && e.Value!.Value < low)
        || (e.Range?.High is double high && e.Value!.Value > high);
}
