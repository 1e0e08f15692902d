namespace ClinicianPortal.Shared.Records;

/// <summary>Derives the problem list, medications, allergies and series of a patient from the event stream.</summary>
internal static class PatientViews
{
    private static readonly HashSet<string> ActiveProblemStatuses = ["active", "recurrence", "relapse"];
    private static readonly HashSet<string> InactiveAllergyStatuses = ["inactive", "resolved"];

    public static PatientRecord Build(PatientSummary patient, IEnumerable<ClinicalEvent> events)
    {
        ArgumentNullException.ThrowIfNull(patient);
        // Oldest first; undated events last, in their original order (OrderBy is stable).
        var ordered = events.OrderBy(e => e.Start is null).ThenBy(e => e.Start).ToList();
        return new PatientRecord
        {
            Patient = patient,
            Events = ordered,
            ActiveProblems = LatestPerCode(ordered.Where(e =>
                e.Kind == EventKind.Condition && e.End is null && e.Status is { } s && ActiveProblemStatuses.Contains(s))),
            ActiveMedications = LatestPerCode(ordered.Where(e => e.Kind == EventKind.Medication && e.Status == "active")),
            Allergies = LatestPerCode(ordered.Where(e =>
                e.Kind == EventKind.Allergy && !(e.Status is { } s && InactiveAllergyStatuses.Contains(s)))),
            Labs = Series(ordered.Where(e => e.Kind == EventKind.Observation && e.Category == "laboratory")),
            Vitals = Series(ordered.Where(e => e.Kind == EventKind.Observation && e.Category is "vital-signs" or "vital-sign")),
        };
    }

    /// <summary>One entry per code (the most recent), most recent first.</summary>
    private static List<ClinicalEvent> LatestPerCode(IEnumerable<ClinicalEvent> events) =>
        events.GroupBy(Key, StringComparer.Ordinal)
            .Select(g => g.Last())
            .OrderByDescending(e => e.Start ?? DateTimeOffset.MinValue)
            .ToList();

    private static string Key(ClinicalEvent e) => e.Code is { Code: { } code } c ? $"{c.System}|{code}" : "title|" + e.Title;

    /// <summary>One series per code, oldest point first; panel components (blood pressure) are series of their own.</summary>
    private static List<LabSeries> Series(IEnumerable<ClinicalEvent> observations)
    {
        var points = new List<(string Code, string Name, Quantity Value, ReferenceRange? Range, string? Interpretation, DateTimeOffset Time, string EventId)>();
        foreach (var e in observations)
        {
            if (e.Start is not { } time) continue;
            if (e.Value is { } value)
                points.Add((e.CodeIn(Coding.Loinc) ?? e.Code?.Code ?? e.Title, e.Title, value, e.Range, e.Interpretation, time, e.Id));
            foreach (var c in e.Components)
            {
                if (c.Value is { } cv)
                    points.Add((c.Code.Code ?? c.Code.Display ?? "", c.Code.Display ?? c.Code.Code ?? "", cv, null, c.Interpretation, time, e.Id));
            }
        }
        return points
            .GroupBy(p => p.Code, StringComparer.Ordinal)
            .Select(g =>
            {
                var series = g.OrderBy(p => p.Time).ToList();
                var latest = series[^1];
                return new LabSeries(g.Key, latest.Name, latest.Value.Unit, latest.Range,
                    series.Select(p => new SeriesPoint(p.Time, p.Value.Value, IsAbnormal(p.Value.Value, p.Range, p.Interpretation), p.EventId)).ToList());
            })
            .OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    private static bool IsAbnormal(double value, ReferenceRange? range, string? interpretation) =>
        (interpretation is not null && interpretation != "N")
        || (range?.Low is double low && value < low)
        || (range?.High is double high && value > high);
}
