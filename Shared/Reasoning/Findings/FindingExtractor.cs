using System.Globalization;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Shared.Reasoning.Findings;

/// <summary>
/// Reads a patient's record against the knowledge base: coded conditions, current results against
/// thresholds (with unit conversion), trends, active medications, demographics and note text
/// (negation- and history-aware). Each finding comes out present, absent or unknown with the chart
/// entries behind it. When sources disagree, a structured result beats note text, and present beats
/// absent only when it is at least as recent.
/// </summary>
public sealed class FindingExtractor : IFindingExtractor
{
    /// <summary>Results and notes this close to the review describe the current presentation.</summary>
    public static readonly TimeSpan CurrentWindow = TimeSpan.FromHours(72);

    /// <summary>Slowly changing results (HbA1c, lipids, TSH...) stay current for a year.</summary>
    public static readonly TimeSpan SlowWindow = TimeSpan.FromDays(365);

    private static readonly HashSet<string> SlowAnalytes = new(StringComparer.Ordinal)
    {
        "4548-4", "17856-6", "2093-3", "2089-1", "13457-7", "2085-9", "2571-8", "3016-3", "3024-7", "2276-4", "2132-9",
        "2284-8", "2857-1", "14959-1", "9318-7", "39156-5", "10230-1", "19926-5", "1751-7",
    };

    private static readonly HashSet<string> Positive = new(StringComparer.OrdinalIgnoreCase)
    {
        "positive", "pos", "detected", "present", "reactive", "+", "++", "+++", "yes", "true",
    };

    private static readonly HashSet<string> Negative = new(StringComparer.OrdinalIgnoreCase)
    {
        "negative", "neg", "not detected", "absent", "non-reactive", "nonreactive", "-", "no", "false", "none",
    };

    private const int MaxExcerpt = 200;

    /// <summary>Ratios over a week or more (creatinine vs baseline) may take the past year's median as the baseline.</summary>
    private const double BaselineFallbackHours = 168;

    private readonly KnowledgeBase _kb;
    private readonly PhraseMatcher _phrases;
    private readonly Dictionary<MedicationMatch, string[]> _medicationNames;

    public FindingExtractor(KnowledgeBase kb)
    {
        ArgumentNullException.ThrowIfNull(kb);
        _kb = kb;
        _phrases = new PhraseMatcher(kb.Findings.SelectMany(f => f.Detection.Phrases.Select(p => (f.Id, p))));
        _medicationNames = kb.Findings.SelectMany(f => f.Detection.Medications).Distinct()
            .ToDictionary(m => m, m => PhraseMatcher.Tokenize(m.Name).Select(t => t.Norm).ToArray());
    }

    public FindingSet Extract(PatientRecord record, DateTimeOffset? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var now = asOf ?? record.Events.Where(e => e.Start is not null).Select(e => e.Start!.Value).DefaultIfEmpty(DateTimeOffset.UtcNow).Max();
        var chart = new Chart(record, now);
        var noteMentions = NoteMentions(chart);
        var findings = new List<ExtractedFinding>();
        foreach (var finding in _kb.Findings)
        {
            var evidence = new List<Evidence>();
            var detection = finding.Detection;
            CodedEvidence(finding, chart, evidence);
            foreach (var criterion in detection.Observations) ObservationEvidence(criterion, chart, evidence);
            foreach (var criterion in detection.Trends) TrendEvidence(criterion, chart, evidence);
            MedicationEvidence(detection.Medications, chart, evidence);
            if (detection.Demographic is { } demographic) DemographicEvidence(demographic, chart, evidence);
            if (noteMentions.TryGetValue(finding.Id, out var mentions)) NoteEvidence(finding, mentions, chart, evidence);
            if (Combine(finding.Id, evidence) is { } extracted) findings.Add(extracted);
        }
        return new FindingSet(record.Patient.Id, now, findings);
    }

    /// <summary>Symptoms, signs, labs and vitals describe the presentation: only current evidence counts for them.</summary>
    private static bool IsAcute(Finding finding) =>
        finding.Kind is FindingKind.Symptom or FindingKind.Sign or FindingKind.Lab or FindingKind.Vital;

    private sealed record Evidence(FindingState State, DateTimeOffset Time, bool Structured, bool Historical,
        IReadOnlyList<FindingCitation> Citations, string Explanation);

    private static void CodedEvidence(Finding finding, Chart chart, List<Evidence> evidence)
    {
        var codes = finding.Detection.Codes;
        if (codes.IsEmpty) return;
        foreach (var condition in chart.Conditions)
        {
            if (!Matches(condition, codes)) continue;
            var e = condition.Event;
            var start = e.Start!.Value;
            var citation = new[] { new FindingCitation(e.Id, e.Title) };
            var active = e.End is null && (e.Status is null || e.Status is "active" or "recurrence" or "relapse" or "unconfirmed" or "provisional");
            if (active && !IsAcute(finding))
                evidence.Add(new Evidence(FindingState.Present, chart.AsOf, true, false, citation, $"{e.Title}: active since {Date(start)}"));
            else if (active && (e.EncounterId is not null && e.EncounterId == chart.CurrentEncounterId || start >= chart.AsOf - CurrentWindow))
                evidence.Add(new Evidence(FindingState.Present, start, true, false, citation, $"{e.Title}: recorded {Date(start)} in the current encounter"));
            else if (!IsAcute(finding))
                evidence.Add(new Evidence(FindingState.Present, e.End ?? start, true, true, citation,
                    $"{e.Title}: past condition ({Date(start)}{(e.End is { } end ? " to " + Date(end) : "")}, {e.Status ?? "inactive"})"));
            else
                evidence.Add(new Evidence(FindingState.Unknown, e.End ?? start, true, true, citation,
                    $"{e.Title}: recorded {Date(start)}, not part of the current presentation"));
        }
    }

    private static bool Matches(CodedCondition condition, Codes codes)
    {
        foreach (var snomed in codes.Snomed)
            if (condition.Snomed.Contains(snomed, StringComparer.Ordinal)) return true;
        foreach (var prefix in codes.Icd10)
        {
            var p = Chart.NormalizeIcd10(prefix);
            if (condition.Icd10.Any(code => code.StartsWith(p, StringComparison.Ordinal))) return true;
        }
        return false;
    }

    private static void ObservationEvidence(ObservationCriterion criterion, Chart chart, List<Evidence> evidence)
    {
        var results = chart.ResultsFor(criterion.Loinc);
        if (results.Count == 0) return;
        var latest = results[^1];
        var citation = new[] { new FindingCitation(latest.EventId, $"{latest.Name} {Shown(latest)}") };
        var window = criterion.Loinc.Any(SlowAnalytes.Contains) ? SlowWindow : CurrentWindow;
        if (latest.Time < chart.AsOf - window)
        {
            evidence.Add(new Evidence(FindingState.Unknown, latest.Time, true, false, citation,
                $"last {latest.Name} {Shown(latest)} on {Date(latest.Time)} is older than {Describe(window)}: not current"));
            return;
        }
        if (criterion.Comparator == "=")
        {
            var positive = IsPositive(latest);
            if (positive is null)
            {
                evidence.Add(new Evidence(FindingState.Unknown, latest.Time, true, false, citation,
                    $"{latest.Name} {Shown(latest)} on {Date(latest.Time)}: cannot tell whether it is {criterion.Value}"));
                return;
            }
            var wanted = !string.Equals(criterion.Value, "negative", StringComparison.OrdinalIgnoreCase);
            var state = positive == wanted ? FindingState.Present : FindingState.Absent;
            evidence.Add(new Evidence(state, latest.Time, true, false, citation, $"{latest.Name} {Shown(latest)} on {Date(latest.Time)}"));
            return;
        }
        if (criterion.Threshold is not { } threshold || criterion.Unit is not { } unit) return;
        // The presentation is judged on every current result: a lactate of 5 on arrival counts even when the repeat is 3.
        var current = new List<(Result Result, double Value)>();
        string? refusal = null;
        for (var i = results.Count - 1; i >= 0 && results[i].Time >= chart.AsOf - window; i--)
        {
            var r = results[i];
            if (r.Value is not { } v) { refusal ??= "it has no numeric value"; continue; }
            if (Units.TryConvert(v, r.Unit, unit, r.Loinc, out var converted, out var why)) current.Add((r, converted));
            else refusal ??= why;
            if (window == SlowWindow) break; // slowly changing results: the latest alone
        }
        if (current.Count == 0)
        {
            evidence.Add(new Evidence(FindingState.Unknown, latest.Time, true, false, citation,
                $"{latest.Name} {Shown(latest)} on {Date(latest.Time)} not compared with {criterion.Comparator} {Units.Format(threshold)} {unit}: {refusal}"));
            return;
        }
        var low = criterion.Comparator is "<" or "<=";
        var meeting = current.Where(c => Compare(c.Value, criterion.Comparator, threshold)).ToList();
        var newest = current[0];
        if (meeting.Count > 0)
        {
            var worst = low ? meeting.MinBy(c => c.Value) : meeting.MaxBy(c => c.Value);
            var text = $"{Described(worst, unit)} {criterion.Comparator} {Units.Format(threshold)} {unit} on {Date(worst.Result.Time)}";
            var citations = new List<FindingCitation> { Cite(worst.Result) };
            if (newest.Result != worst.Result)
            {
                text += $" (latest {Described(newest, unit)} on {Date(newest.Result.Time)})";
                citations.Add(Cite(newest.Result));
            }
            evidence.Add(new Evidence(FindingState.Present, newest.Result.Time, true, false, citations, text));
        }
        else
        {
            var text = $"{Described(newest, unit)} on {Date(newest.Result.Time)}, not {criterion.Comparator} {Units.Format(threshold)} {unit}"
                + (current.Count > 1 ? $" (nor any of {current.Count} results since {Date(current[^1].Result.Time)})" : "");
            evidence.Add(new Evidence(FindingState.Absent, newest.Result.Time, true, false, [Cite(newest.Result)], text));
        }
    }

    private static FindingCitation Cite(Result r) => new(r.EventId, $"{r.Name} {Shown(r)}");

    private static string Described((Result Result, double Value) c, string unit) =>
        $"{c.Result.Name} {Shown(c.Result)}" + (SameUnit(c.Result.Unit, unit) ? "" : $" (= {Units.Format(c.Value)} {unit})");

    private static bool? IsPositive(Result result)
    {
        if (result.Text is { } text)
        {
            var t = text.Trim().TrimEnd('.');
            if (Positive.Contains(t)) return true;
            if (Negative.Contains(t)) return false;
        }
        return result.Interpretation switch
        {
            "POS" or "A" or "H" or "HH" or "DET" => true,
            "NEG" or "N" or "ND" => false,
            _ => null,
        };
    }

    private static void TrendEvidence(TrendCriterion criterion, Chart chart, List<Evidence> evidence)
    {
        var results = chart.ResultsFor(criterion.Loinc);
        if (results.Count < 2) return;
        var latest = results[^1];
        // A slope speaks of the long run; a change or ratio must end in a current result.
        var currency = criterion.Measure == TrendMeasure.SlopePerYear ? SlowWindow : CurrentWindow;
        if (latest.Time < chart.AsOf - currency || latest.Value is null) return;

        var unit = criterion.Measure switch
        {
            TrendMeasure.Ratio => latest.Unit,
            TrendMeasure.SlopePerYear => criterion.Unit.EndsWith("/a", StringComparison.Ordinal) ? criterion.Unit[..^2] : criterion.Unit,
            _ => criterion.Unit,
        };
        if (unit is null) return;
        var from = criterion.WindowHours is { } hours ? latest.Time - TimeSpan.FromHours(hours) : DateTimeOffset.MinValue;
        var points = new List<(Result Result, double Value)>();
        foreach (var r in results)
        {
            if (r.Time < from || r.Value is not { } v) continue;
            if (Units.TryConvert(v, r.Unit, unit, r.Loinc, out var converted, out _)) points.Add((r, converted));
        }
        if (points.Count == 0 || points[^1].Result != latest) return;
        var last = points[^1];
        var earlier = points.Take(points.Count - 1).ToList();
        double measured;
        (Result Result, double Value) reference;
        string text;
        if (criterion.Measure == TrendMeasure.Ratio && earlier.Count == 0 && criterion.WindowHours >= BaselineFallbackHours)
        {
            // No result within the window (the usual AKI presentation): the baseline is the median of the
            // past year's results, as in the NHS England AKI algorithm.
            var year = results.Where(r => r.Time < from && r.Time >= from - SlowWindow && r.Value is not null)
                .Select(r => Units.TryConvert(r.Value!.Value, r.Unit, unit, r.Loinc, out var v, out _) ? (r, v) : default)
                .Where(p => p.r is not null).OrderBy(p => p.v).ToList();
            if (year.Count == 0) return;
            reference = year[(year.Count - 1) / 2];
            if (reference.Value <= 0) return;
            measured = last.Value / reference.Value;
            text = $"{latest.Name} {Units.Format(last.Value)} {unit} on {Date(last.Result.Time)} is ×{measured:0.##} the baseline {Units.Format(reference.Value)} {unit} (median of {year.Count} result{(year.Count == 1 ? "" : "s")} in the preceding year)";
        }
        else
        {
            if (points.Count < Math.Max(2, criterion.MinResults)) return;
            var rising = criterion.Comparator is ">" or ">=";
            switch (criterion.Measure)
            {
                case TrendMeasure.Change:
                    reference = rising ? earlier.MinBy(p => p.Value) : earlier.MaxBy(p => p.Value);
                    measured = last.Value - reference.Value;
                    text = $"{latest.Name} {Units.Format(reference.Value)} → {Units.Format(last.Value)} {unit} ({(measured >= 0 ? "+" : "")}{Units.Format(measured)}) from {Date(reference.Result.Time)} to {Date(last.Result.Time)}";
                    break;
                case TrendMeasure.Ratio:
                    reference = earlier.MinBy(p => p.Value);
                    if (reference.Value <= 0) return;
                    measured = last.Value / reference.Value;
                    text = $"{latest.Name} {Units.Format(reference.Value)} → {Units.Format(last.Value)} {unit} (×{measured:0.##}) from {Date(reference.Result.Time)} to {Date(last.Result.Time)}";
                    break;
                default:
                    reference = points[0];
                    measured = SlopePerYear(points);
                    if (double.IsNaN(measured)) return;
                    text = $"{latest.Name} slope {Units.Format(measured)} {unit} per year over {points.Count} results ({Date(reference.Result.Time)} to {Date(last.Result.Time)})";
                    break;
            }
        }
        var met = Compare(measured, criterion.Comparator, criterion.Threshold);
        text += met ? $", {criterion.Comparator} {Units.Format(criterion.Threshold)}" : $", not {criterion.Comparator} {Units.Format(criterion.Threshold)}";
        var cited = criterion.Measure == TrendMeasure.SlopePerYear ? points.Select(p => p.Result) : [reference.Result, last.Result];
        var citations = cited.DistinctBy(r => r.EventId).Select(r => new FindingCitation(r.EventId, $"{r.Name} {Shown(r)} on {Date(r.Time)}")).ToList();
        evidence.Add(new Evidence(met ? FindingState.Present : FindingState.Absent, latest.Time, true, false, citations, text));
    }

    /// <summary>Least-squares slope of value against time in years; NaN when all results share one time.</summary>
    internal static double SlopePerYear(IReadOnlyList<(Result Result, double Value)> points)
    {
        var t0 = points[0].Result.Time;
        var xs = points.Select(p => (p.Result.Time - t0).TotalDays / 365.25).ToArray();
        var meanX = xs.Average();
        var meanY = points.Average(p => p.Value);
        double sxy = 0, sxx = 0;
        for (var i = 0; i < xs.Length; i++)
        {
            sxy += (xs[i] - meanX) * (points[i].Value - meanY);
            sxx += (xs[i] - meanX) * (xs[i] - meanX);
        }
        return sxx == 0 ? double.NaN : sxy / sxx;
    }

    private void MedicationEvidence(IReadOnlyList<MedicationMatch> matches, Chart chart, List<Evidence> evidence)
    {
        if (matches.Count == 0) return;
        foreach (var medication in chart.ActiveMedications)
        {
            var match = matches.FirstOrDefault(m => IsMedication(chart, medication, m));
            if (match is null) continue;
            evidence.Add(new Evidence(FindingState.Present, chart.AsOf, true, false,
                [new FindingCitation(medication.Id, medication.Title)],
                $"{medication.Title}: active{(medication.Start is { } s ? " since " + Date(s) : "")} ({match.Name})"));
        }
    }

    private bool IsMedication(Chart chart, ClinicalEvent medication, MedicationMatch match)
    {
        if (match.Rxnorm is { } rx && medication.Codes.Any(c => c.System == Coding.RxNorm && c.Code == rx)) return true;
        var name = _medicationNames[match];
        if (name.Length == 0) return false;
        foreach (var words in chart.MedicationWords(medication))
        {
            for (var i = 0; i + name.Length <= words.Length; i++)
            {
                var all = true;
                for (var k = 0; k < name.Length && all; k++) all = words[i + k] == name[k];
                if (all) return true;
            }
        }
        return false;
    }

    private static void DemographicEvidence(DemographicCriterion criterion, Chart chart, List<Evidence> evidence)
    {
        var patient = chart.Patient;
        var parts = new List<string>();
        var met = true;
        if (criterion.Sex is { } sex)
        {
            if (string.IsNullOrWhiteSpace(patient.Sex) || patient.Sex.Equals("unknown", StringComparison.OrdinalIgnoreCase)) return;
            met &= patient.Sex.Equals(sex, StringComparison.OrdinalIgnoreCase);
            parts.Add(patient.Sex.ToLowerInvariant());
        }
        if (criterion.MinAge is not null || criterion.MaxAge is not null)
        {
            if (AgeAt(patient, chart.AsOf) is not { } age) return;
            met &= (criterion.MinAge is not { } min || age >= min) && (criterion.MaxAge is not { } max || age <= max);
            parts.Add("age " + (patient.IsOver89 ? "90+" : age.ToString(CultureInfo.InvariantCulture)));
        }
        evidence.Add(new Evidence(met ? FindingState.Present : FindingState.Absent, chart.AsOf, true, false, [], string.Join(", ", parts)));
    }

    /// <summary>Age at the review from the (shifted) birth date; over 89 counts as 90.</summary>
    private static int? AgeAt(PatientSummary patient, DateTimeOffset at)
    {
        if (patient.IsOver89) return 90;
        if (patient.BirthDate is not { } birth) return patient.Age;
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        var age = day.Year - birth.Year - (day < birth.AddYears(day.Year - birth.Year) ? 1 : 0);
        return Math.Min(age, 90);
    }

    /// <summary>Phrase mentions of every note, per finding id (notes newest first).</summary>
    private Dictionary<string, List<(ClinicalEvent Note, PhraseMention Mention)>> NoteMentions(Chart chart)
    {
        var byFinding = new Dictionary<string, List<(ClinicalEvent, PhraseMention)>>(StringComparer.Ordinal);
        foreach (var note in chart.Notes)
        {
            foreach (var mention in _phrases.Find(note.Text!))
            {
                if (!byFinding.TryGetValue(mention.Key, out var list)) byFinding[mention.Key] = list = [];
                list.Add((note, mention));
            }
        }
        return byFinding;
    }

    private static void NoteEvidence(Finding finding, List<(ClinicalEvent Note, PhraseMention Mention)> mentions, Chart chart, List<Evidence> evidence)
    {
        // Symptoms, signs, results and medications are read from current notes only; history from any note.
        var currentOnly = IsAcute(finding) || finding.Kind == FindingKind.Medication;
        foreach (var group in mentions.GroupBy(m => m.Note.Id))
        {
            var note = group.First().Note;
            var time = note.Start!.Value;
            if (currentOnly && time < chart.AsOf - CurrentWindow && (note.EncounterId is null || note.EncounterId != chart.CurrentEncounterId)) continue;
            var said = group.Select(g => g.Mention).ToList();
            // Within one note an affirmation outweighs a denial: the denial is usually of a variant ("no exertional chest pain").
            var affirmed = said.Where(m => m.Context == MentionContext.Affirmed).ToList();
            var negated = said.Where(m => m.Context == MentionContext.Negated).ToList();
            var historical = said.Where(m => m.Context == MentionContext.Historical).ToList();
            if (affirmed.Count > 0)
            {
                var pastOnly = affirmed.All(m => m.PhraseIsHistorical);
                evidence.Add(NoteFinding(FindingState.Present, note, time, pastOnly && !IsAcute(finding), affirmed, pastOnly ? "history" : "mentioned"));
            }
            else if (negated.Count > 0)
                evidence.Add(NoteFinding(FindingState.Absent, note, time, false, negated, "negated"));
            else if (historical.Count > 0)
                evidence.Add(NoteFinding(currentOnly ? FindingState.Unknown : FindingState.Present, note, time, true, historical, "history"));
        }
    }

    private static Evidence NoteFinding(FindingState state, ClinicalEvent note, DateTimeOffset time, bool historical, List<PhraseMention> mentions, string how)
    {
        var citations = mentions.DistinctBy(m => m.Sentence).Select(m => new FindingCitation(note.Id, Excerpt(m.Sentence))).ToList();
        var quoted = string.Join("; ", mentions.Select(m => m.Phrase).Distinct(StringComparer.Ordinal).Select(p => $"\"{p}\""));
        return new Evidence(state, time, false, historical, citations, $"{quoted} {how} in {note.Title} of {Date(time)}");
    }

    private static string Excerpt(string sentence) => sentence.Length <= MaxExcerpt ? sentence : sentence[..(MaxExcerpt - 1)] + "…";

    /// <summary>
    /// Structured evidence beats note text; within the winning source, present beats absent only when at
    /// least as recent. Every citation is kept, the deciding ones first.
    /// </summary>
    private static ExtractedFinding? Combine(string findingId, List<Evidence> evidence)
    {
        if (evidence.Count == 0) return null;
        var decisive = evidence.Where(e => e.State != FindingState.Unknown).ToList();
        var tier = decisive.Any(e => e.Structured) ? decisive.Where(e => e.Structured).ToList() : decisive;
        FindingState state;
        if (tier.Count == 0) state = FindingState.Unknown;
        else
        {
            var present = tier.Where(e => e.State == FindingState.Present).Select(e => e.Time).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
            var absent = tier.Where(e => e.State == FindingState.Absent).Select(e => e.Time).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
            state = tier.Any(e => e.State == FindingState.Present) && present >= absent ? FindingState.Present : FindingState.Absent;
        }
        var deciding = (state == FindingState.Unknown ? evidence : tier.Where(e => e.State == state))
            .OrderByDescending(e => e.Time).ToList();
        var others = evidence.Except(deciding).OrderByDescending(e => e.Time).ToList();
        var citations = deciding.Concat(others).SelectMany(e => e.Citations)
            .DistinctBy(c => (c.EventId, c.Excerpt)).ToList();
        var explanation = string.Join("; ", deciding.Take(3).Select(e => e.Explanation));
        var agreeing = others.Where(e => e.State == state).ToList();
        var outweighed = others.Where(e => e.State != state && e.State != FindingState.Unknown).ToList();
        if (agreeing.Count > 0) explanation += " (also: " + string.Join("; ", agreeing.Take(2).Select(e => e.Explanation)) + ")";
        if (outweighed.Count > 0) explanation += " (outweighed: " + string.Join("; ", outweighed.Take(2).Select(e => e.Explanation)) + ")";
        return new ExtractedFinding(findingId, state, citations, explanation)
        {
            Historical = deciding.Count > 0 && deciding.All(e => e.Historical),
        };
    }

    private static bool Compare(double value, string comparator, double threshold) => comparator switch
    {
        ">" => value > threshold,
        ">=" => value >= threshold,
        "<" => value < threshold,
        "<=" => value <= threshold,
        _ => throw new InvalidOperationException($"Unknown comparator '{comparator}' in the knowledge base."),
    };

    private static bool SameUnit(string? a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string Shown(Result r) =>
        r.Value is { } v ? $"{Units.Format(v)}{(string.IsNullOrEmpty(r.Unit) ? "" : " " + r.Unit)}" : r.Text ?? r.Interpretation ?? "(no value)";

    private static string Date(DateTimeOffset at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Describe(TimeSpan window) => window.TotalDays >= 2 && window != CurrentWindow ? $"{window.TotalDays:0} days" : $"{window.TotalHours:0} h";
}
