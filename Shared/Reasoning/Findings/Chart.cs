using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Shared.Reasoning.Findings;

/// <summary>One numeric or qualitative result (an observation or one of its components).</summary>
internal sealed record Result(string Loinc, DateTimeOffset Time, double? Value, string? Unit, string? Text, string? Interpretation, string EventId, string Title)
{
    /// <summary>"Hemoglobin [Mass/volume] in Blood" → "Hemoglobin" (computed when shown, not for every indexed result).</summary>
    public string Name
    {
        get
        {
            var cut = Title.IndexOf(" [", StringComparison.Ordinal);
            return (cut > 0 ? Title[..cut] : Title).Trim();
        }
    }
}

/// <summary>A coded condition as it stands at the review: the latest entry per code.</summary>
internal sealed record CodedCondition(ClinicalEvent Event, IReadOnlyList<string> Icd10, IReadOnlyList<string> Snomed);

/// <summary>
/// A patient's record indexed once per review, as of a moment: results by LOINC code, the latest
/// condition per code, active medications and notes. Events after the moment are left out.
/// </summary>
internal sealed class Chart
{
    private static readonly HashSet<string> IgnoredStatuses = new(StringComparer.OrdinalIgnoreCase)
    {
        "entered-in-error", "cancelled", "refuted", "not-done",
    };

    private readonly Dictionary<string, List<Result>> _results = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[][]> _medicationWords = new(StringComparer.Ordinal);

    public DateTimeOffset AsOf { get; }
    /// <summary>The encounter in progress (or the latest one) at the review.</summary>
    public string? CurrentEncounterId { get; }
    public IReadOnlyList<CodedCondition> Conditions { get; }
    public IReadOnlyList<ClinicalEvent> ActiveMedications { get; }
    /// <summary>Notes with text, newest first.</summary>
    public IReadOnlyList<ClinicalEvent> Notes { get; }
    public PatientSummary Patient { get; }

    public Chart(PatientRecord record, DateTimeOffset asOf)
    {
        AsOf = asOf;
        Patient = record.Patient;
        var conditions = new Dictionary<string, ClinicalEvent>(StringComparer.Ordinal);
        var notes = new List<ClinicalEvent>();
        ClinicalEvent? encounter = null;
        foreach (var e in record.Events)
        {
            if (e.Start is not { } start || start > asOf) continue;
            if (e.Status is { } status && IgnoredStatuses.Contains(status)) continue;
            switch (e.Kind)
            {
                case EventKind.Observation:
                    AddResults(e, start);
                    break;
                case EventKind.Condition:
                    // Events are oldest first: the last entry per code is the condition's current state.
                    conditions[e.Code is { } c ? $"{c.System}|{c.Code}" : "title|" + e.Title] = e;
                    break;
                case EventKind.Encounter:
                    if (encounter?.Start is not { } previous || start >= previous) encounter = e;
                    break;
                case EventKind.Note when !string.IsNullOrWhiteSpace(e.Text):
                    notes.Add(e);
                    break;
            }
        }
        foreach (var list in _results.Values) list.Sort((a, b) => a.Time.CompareTo(b.Time));
        CurrentEncounterId = encounter?.Id;
        Conditions = conditions.Values.Select(e => new CodedCondition(e,
            e.Codes.Where(c => c.System == Coding.Icd10 && c.Code is not null).Select(c => NormalizeIcd10(c.Code!)).ToList(),
            e.Codes.Where(c => c.System == Coding.Snomed && c.Code is not null).Select(c => c.Code!).ToList())).ToList();
        ActiveMedications = record.ActiveMedications.Where(m => m.Start is null || m.Start <= asOf).ToList();
        notes.Reverse();
        Notes = notes;
    }

    /// <summary>Results of any of the codes (and codes reporting the same analyte), oldest first.</summary>
    public List<Result> ResultsFor(IEnumerable<string> loincCodes)
    {
        var lists = loincCodes.SelectMany(Units.Equivalents).Distinct(StringComparer.Ordinal)
            .Select(code => _results.GetValueOrDefault(code)).OfType<List<Result>>().ToList();
        if (lists.Count == 1) return lists[0];
        var merged = lists.SelectMany(l => l).ToList();
        merged.Sort((a, b) => a.Time.CompareTo(b.Time));
        return merged;
    }

    /// <summary>The words of a medication's title and code displays, normalised as note words are (tokenised once per review).</summary>
    public IReadOnlyList<string[]> MedicationWords(ClinicalEvent medication)
    {
        if (!_medicationWords.TryGetValue(medication.Id, out var words))
        {
            words = [.. medication.Codes.Select(c => c.Display).Append(medication.Title).OfType<string>().Distinct(StringComparer.Ordinal)
                .Select(text => PhraseMatcher.Tokenize(text).Select(t => t.Norm).ToArray())];
            _medicationWords[medication.Id] = words;
        }
        return words;
    }

    public static string NormalizeIcd10(string code) => code.Replace(".", "", StringComparison.Ordinal).Trim().ToUpperInvariant();

    private void AddResults(ClinicalEvent e, DateTimeOffset time)
    {
        if (e.Value is not null || e.ValueText is not null || e.Interpretation is not null)
        {
            foreach (var coding in e.Codes)
                if (coding.System == Coding.Loinc && coding.Code is { } code)
                    Add(code, new Result(code, time, e.Value?.Value, e.Value?.UcumCode ?? e.Value?.Unit, e.ValueText, e.Interpretation, e.Id, e.Title));
        }
        foreach (var component in e.Components)
        {
            if (component.Code.Code is not { } code || (component.Code.System is { } system && system != Coding.Loinc)) continue;
            if (component.Value is null && component.ValueText is null) continue;
            Add(code, new Result(code, time, component.Value?.Value, component.Value?.UcumCode ?? component.Value?.Unit, component.ValueText,
                component.Interpretation, e.Id, component.Code.Display ?? e.Title));
        }
    }

    private void Add(string code, Result result)
    {
        if (!_results.TryGetValue(code, out var list)) _results[code] = list = [];
        list.Add(result);
    }
}
