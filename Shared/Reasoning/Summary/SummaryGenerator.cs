using System.Text.RegularExpressions;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Shared.Reasoning.Summary;

/// <summary>
/// Writes the grounded, deterministic problem-oriented summary of a record: the same record and options
/// always give the same text, and every sentence cites the events it states (checked by <see cref="SummaryGrounding"/>).
/// </summary>
public static partial class SummaryGenerator
{
    public const string Version = "grounded-summary/1";

    private static readonly HashSet<string> AcuteEncounterClasses =
        new(["EMER", "IMP", "ACUTE", "OBSENC", "emergency", "inpatient", "inpatient encounter"], StringComparer.OrdinalIgnoreCase);

    public static CaseSummary Generate(PatientRecord record, SummaryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        options ??= new SummaryOptions();
        var asOf = options.AsOf ?? LatestTime(record);
        var chart = new ChartIndex(record, asOf);
        var writer = new Writer(chart, options);
        var sections = new List<SummarySection>
        {
            new("one-liner", "Summary", [writer.OneLiner()]),
            new("problems", "Active problems", writer.Problems()),
            new("recent-changes", "Recent changes", writer.RecentChanges()),
            new("results", "Abnormal trends and results", writer.Results()),
            new("medications", "Medications", writer.Medications()),
            new("allergies", "Allergies", writer.AllergyList()),
            new("open-questions", "Open questions", writer.OpenQuestions()),
        };
        return new CaseSummary(record.Patient.Id, asOf, Version, sections.Where(s => s.Sentences.Count > 0).ToList());
    }

    /// <summary>The latest start or end time in the record (the Unix epoch for a record with no dated event).</summary>
    public static DateTimeOffset LatestTime(PatientRecord record) =>
        record.Events.SelectMany(e => new[] { e.Start, e.End }).OfType<DateTimeOffset>().DefaultIfEmpty(DateTimeOffset.UnixEpoch).Max();

    [GeneratedRegex(@"Chief complaint:\s*([^\n.]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ChiefComplaint();

    private sealed class Writer(ChartIndex chart, SummaryOptions options)
    {
        private readonly PatientRecord _record = chart.Record;
        private readonly DateTimeOffset _asOf = chart.AsOf;
        private readonly HashSet<string> _seriesShownWithProblems = new(StringComparer.Ordinal);
        private DateTimeOffset RecentSince => _asOf - options.RecentWindow;
        private readonly ClinicalEvent? _presentation = CurrentPresentation(chart.Record, chart.AsOf);

        private IReadOnlyList<(ClinicalEvent Problem, ProblemRule? Rule)> ActiveProblems() =>
            _record.ActiveProblems
                .Select(p => (Problem: p, Rule: ProblemMap.Match(p)))
                .OrderBy(p => p.Rule is null ? int.MaxValue : (int)p.Rule.Kind)
                .ThenBy(p => p.Problem.Start ?? DateTimeOffset.MaxValue)
                .ThenBy(p => p.Problem.Title, StringComparer.Ordinal)
                .ThenBy(p => p.Problem.Id, StringComparer.Ordinal)
                .ToList();

        public SummarySentence OneLiner()
        {
            var patient = _record.Patient;
            var citations = new List<Citation> { Citation.Patient(patient.Id) };
            var problems = ActiveProblems();
            var key = problems.Where(p => p.Rule is not null).Take(5).ToList();
            if (key.Count == 0) key = problems.Take(3).ToList();
            citations.AddRange(key.Select(p => Citation.Event(p.Problem.Id)));
            var age = SummaryText.Age(patient, _asOf);
            var text = $"{age}{(age == "90+" ? " " : "-")}year-old {SummaryText.Sex(patient)}";
            text += key.Count > 0
                ? " with " + SummaryText.List(key.Select(p => SummaryText.InSentence(p.Problem.Title)).ToList())
                : " with no active problem recorded";
            if (_presentation is { } encounter)
            {
                citations.Add(Citation.Event(encounter.Id));
                var place = IsEmergency(encounter) ? "the emergency department" : "hospital";
                var open = encounter.End is null && encounter.Status is not ("finished" or "cancelled");
                text += open ? $", presenting to {place} on {SummaryText.Date(encounter.Start!.Value)}" : $", seen in {place} on {SummaryText.Date(encounter.Start!.Value)}";
                if (ComplaintOf(encounter) is { } complaint)
                {
                    citations.Add(Citation.Event(complaint.Note.Id));
                    text += " with " + complaint.Text;
                }
            }
            return new SummarySentence(text + ".", Distinct(citations));
        }

        /// <summary>The latest emergency or inpatient encounter that is still open or began within the last week.</summary>
        private static ClinicalEvent? CurrentPresentation(PatientRecord record, DateTimeOffset asOf) =>
            record.Events
                .Where(e => e.Kind == EventKind.Encounter && e.Start is { } s && s <= asOf && IsAcute(e)
                    && ((e.End is null && e.Status is not ("finished" or "cancelled" or "entered-in-error")) || s >= asOf.AddDays(-7)))
                .OrderBy(e => e.Start)
                .LastOrDefault();

        private static bool IsAcute(ClinicalEvent encounter) => encounter.Category is { } c && AcuteEncounterClasses.Contains(c);
        private static bool IsEmergency(ClinicalEvent encounter) => encounter.Category is "EMER" or "emergency";

        private (ClinicalEvent Note, string Text)? ComplaintOf(ClinicalEvent encounter)
        {
            foreach (var note in _record.Events.Where(e => e.Kind == EventKind.Note && e.EncounterId == encounter.Id && e.Text is not null))
            {
                var match = ChiefComplaint().Match(note.Text!);
                if (match.Success && match.Groups[1].Value.Trim() is { Length: > 0 } complaint) return (note, complaint);
            }
            return null;
        }

        public IReadOnlyList<SummarySentence> Problems()
        {
            var sentences = new List<SummarySentence>();
            var warfarin = chart.HasActiveMedication(["warfarin"]);
            foreach (var (problem, rule) in ActiveProblems())
            {
                var citations = new List<Citation> { Citation.Event(problem.Id) };
                var text = problem.Title + (problem.Start is { } onset ? $", since {SummaryText.Date(onset)}" : "");
                var fragments = new List<string>();
                if (rule is not null && (rule.Kind != ProblemKind.AtrialFibrillation || warfarin))
                {
                    foreach (var seriesRule in rule.Series)
                    {
                        if (seriesRule == ProblemMap.Diastolic) continue; // written together with the systolic value
                        // A series shared by two problems (diabetic kidney disease, CKD stage 4) is told once.
                        if (chart.Series(seriesRule) is not { } series || _seriesShownWithProblems.Contains(series.Code)) continue;
                        var fragment = seriesRule == ProblemMap.Systolic
                            ? BloodPressure(series, citations)
                            : Trajectory(seriesRule, series, citations, flagLatest: !(warfarin && seriesRule == ProblemMap.Inr));
                        if (fragment is null) continue;
                        fragments.Add(fragment);
                        _seriesShownWithProblems.Add(series.Code);
                        // Diabetes: glucose only when there is no HbA1c.
                        if (rule.Kind == ProblemKind.Diabetes) break;
                    }
                }
                if (fragments.Count > 0) text += ": " + string.Join("; ", fragments);
                sentences.Add(new SummarySentence(text + ".", Distinct(citations)));
            }
            return sentences;
        }

        private List<SeriesPoint> Window(LabSeries series)
        {
            var points = series.Points.Where(p => p.Time <= _asOf).ToList();
            var window = points.Where(p => p.Time >= _asOf - options.TrendWindow).TakeLast(options.MaxTrendPoints).ToList();
            return window.Count > 0 ? window : points.TakeLast(1).ToList();
        }

        /// <summary>"eGFR 52 → 38 mL/min/1.73 m² over 3.1 years, falling 4.5 per year (latest low)".</summary>
        private string? Trajectory(SeriesRule rule, LabSeries series, List<Citation> citations, bool flagLatest)
        {
            var name = rule.ShortName;
            var points = Window(series);
            if (points.Count == 0) return null;
            citations.AddRange(points.Select(p => Citation.Event(p.EventId)));
            var last = points[^1];
            var flag = last.Abnormal && flagLatest ? $" (latest {Flag(last, series)})" : "";
            // The course before the current presentation, then its results apart: an acute change is not a long-term trend.
            var (before, during) = SplitAtPresentation(points);
            if (Trend.Of(before, rule.SignificantChange) is not { } trend)
                return $"{name} {SummaryText.WithUnit(last.Value, series.Unit)} on {SummaryText.Date(last.Time)}{flag}";
            var text = $"{name} {SummaryText.Number(trend.First.Value)} → {SummaryText.WithUnit(trend.Last.Value, series.Unit)} over {SummaryText.Span(trend.Span)}, {Movement(trend)}";
            return during.Count == 0 ? text + flag : text + $", now {SummaryText.WithUnit(last.Value, series.Unit)} on {SummaryText.Date(last.Time)}{flag}";
        }

        /// <summary>Points before the current presentation and during it (all "before" when there is none).</summary>
        private (List<SeriesPoint> Before, List<SeriesPoint> During) SplitAtPresentation(List<SeriesPoint> points)
        {
            if (_presentation?.Start is not { } start || points.Count(p => p.Time < start) < 2) return (points, []);
            return (points.Where(p => p.Time < start).ToList(), points.Where(p => p.Time >= start).ToList());
        }

        /// <summary>"blood pressure 152/94 → 134/82 mmHg over 2.5 years, systolic falling 7.2 per year".</summary>
        private string? BloodPressure(LabSeries systolic, List<Citation> citations)
        {
            var diastolic = chart.Series(ProblemMap.Diastolic);
            var points = Window(systolic);
            if (points.Count == 0) return null;
            string Reading(SeriesPoint s) =>
                diastolic?.Points.FirstOrDefault(d => d.EventId == s.EventId) is { } d
                    ? $"{SummaryText.Number(s.Value)}/{SummaryText.Number(d.Value)}"
                    : SummaryText.Number(s.Value);
            citations.AddRange(points.Select(p => Citation.Event(p.EventId)));
            var unit = SummaryText.Unit(systolic.Unit);
            var (before, during) = SplitAtPresentation(points);
            if (Trend.Of(before, ProblemMap.Systolic.SignificantChange) is not { } trend)
                return $"blood pressure {Reading(points[^1])} {unit} on {SummaryText.Date(points[^1].Time)}";
            var text = $"blood pressure {Reading(trend.First)} → {Reading(trend.Last)} {unit} over {SummaryText.Span(trend.Span)}, systolic {Movement(trend)}";
            return during.Count == 0 ? text : text + $", now {Reading(points[^1])} {unit} on {SummaryText.Date(points[^1].Time)}";
        }

        private static string Movement(Trend trend) => trend.Direction switch
        {
            TrendDirection.Stable => "stable",
            TrendDirection.Variable => "variable",
            _ when trend.Span.TotalDays < 180 => trend.Direction == TrendDirection.Rising ? "rising" : "falling",
            TrendDirection.Rising => $"rising {SummaryText.Rate(trend.SlopePerYear)} per year",
            _ => $"falling {SummaryText.Rate(trend.SlopePerYear)} per year",
        };

        /// <summary>"high", "critically low"... from the observation's interpretation, else from the range.</summary>
        private string Flag(SeriesPoint point, LabSeries series)
        {
            var e = chart.Event(point.EventId);
            var component = e?.Components.FirstOrDefault(c => c.Code.Code == series.Code);
            var interpretation = component is not null ? component.Interpretation : e?.Interpretation;
            return interpretation switch
            {
                "HH" or "H>" => "critically high",
                "LL" or "L<" => "critically low",
                "H" or "HU" => "high",
                "L" or "LU" => "low",
                _ when RangeOf(point, series)?.High is double h && point.Value > h => "high",
                _ when RangeOf(point, series)?.Low is double l && point.Value < l => "low",
                _ => "abnormal",
            };
        }

        private ReferenceRange? RangeOf(SeriesPoint point, LabSeries series)
        {
            var e = chart.Event(point.EventId);
            return e is not null && !e.Components.Any(c => c.Code.Code == series.Code) ? e.Range : null;
        }

        private static string? RangeText(ReferenceRange? range) => range switch
        {
            { Low: double l, High: double h } => $"reference {SummaryText.Number(l)}–{SummaryText.Number(h)}",
            { High: double h } => $"reference ≤ {SummaryText.Number(h)}",
            { Low: double l } => $"reference ≥ {SummaryText.Number(l)}",
            _ => null,
        };

        public IReadOnlyList<SummarySentence> RecentChanges()
        {
            var sentences = new List<SummarySentence>();
            bool Recent(DateTimeOffset? t) => t is { } time && time > RecentSince && time <= _asOf;
            foreach (var c in _record.Events.Where(e => e.Kind == EventKind.Condition))
            {
                if (Recent(c.Start))
                    sentences.Add(new($"{c.Title} recorded on {SummaryText.Date(c.Start!.Value)}.", [Citation.Event(c.Id)]));
                if (Recent(c.End))
                    sentences.Add(new($"{c.Title} {(c.Status is { Length: > 0 } s ? "marked " + s : "ended")} on {SummaryText.Date(c.End!.Value)}.", [Citation.Event(c.Id)]));
            }
            foreach (var m in _record.Events.Where(e => e.Kind == EventKind.Medication))
            {
                if (Recent(m.Start))
                    sentences.Add(new($"{m.Title} started on {SummaryText.Date(m.Start!.Value)}{(m.Status == "on-hold" ? ", now on hold" : "")}.", [Citation.Event(m.Id)]));
                if (Recent(m.End) && m.Status is "stopped" or "completed" or "cancelled")
                    sentences.Add(new($"{m.Title} {(m.Status == "completed" ? "completed" : "stopped")} on {SummaryText.Date(m.End!.Value)}.", [Citation.Event(m.Id)]));
            }
            var current = _presentation;
            foreach (var encounter in _record.Events.Where(e => e.Kind == EventKind.Encounter && IsAcute(e) && Recent(e.Start) && e.Id != current?.Id))
            {
                var citations = new List<Citation> { Citation.Event(encounter.Id) };
                var what = IsEmergency(encounter) ? "Emergency department visit" : "Hospital admission";
                var text = encounter.End is { } end && SummaryText.Date(end) != SummaryText.Date(encounter.Start!.Value)
                    ? $"{what} from {SummaryText.Date(encounter.Start!.Value)} to {SummaryText.Date(end)}"
                    : $"{what} on {SummaryText.Date(encounter.Start!.Value)}";
                var diagnoses = _record.Events.Where(e => e.Kind == EventKind.Condition && e.EncounterId == encounter.Id).ToList();
                if (diagnoses.Count > 0)
                {
                    text += " for " + SummaryText.List(diagnoses.Select(d => d.Title).Distinct().ToList());
                    citations.AddRange(diagnoses.Select(d => Citation.Event(d.Id)));
                }
                sentences.Add(new(text + ".", citations));
            }
            return sentences;
        }

        /// <summary>
        /// Series not already told with a problem whose latest result is abnormal: as a trend when the series has
        /// moved steadily over at least half a year, otherwise (when recent) as the latest result with the one before it.
        /// </summary>
        public IReadOnlyList<SummarySentence> Results()
        {
            var warfarin = chart.HasActiveMedication(["warfarin"]);
            var found = new List<(bool Critical, DateTimeOffset Time, SummarySentence Sentence)>();
            foreach (var series in chart.AllSeries)
            {
                if (_seriesShownWithProblems.Contains(series.Code)) continue;
                if (warfarin && ProblemMap.Inr.LoincCodes.Contains(series.Code)) continue; // a raised INR is the intent of warfarin
                var points = Window(series);
                if (points.Count == 0) continue;
                var last = points[^1];
                var name = Name(series);
                var range = RangeOf(last, series);
                var flag = last.Abnormal ? Flag(last, series) : null;
                var detail = flag is null ? null : RangeText(range) is { } r ? $"{flag} ({r})" : flag;
                var threshold = ProblemMap.SeriesOf(series.Code)?.SignificantChange;
                var trend = points.Count >= 4 && Trend.Of(points, threshold) is { Span.TotalDays: >= 180, Direction: TrendDirection.Rising or TrendDirection.Falling } t ? t : null;
                // Sustained: the results before the latest already move the same way (a single jump is told as latest vs previous).
                var sustained = trend is not null && Trend.Of(points[..^1], threshold)?.Direction == trend.Direction
                    && SplitAtPresentation(points).During.Count == 0;
                if (trend is not null && sustained && last.Abnormal)
                {
                    var text = $"{name} {SummaryText.Number(trend.First.Value)} → {SummaryText.WithUnit(last.Value, series.Unit)} over {SummaryText.Span(trend.Span)}, {Movement(trend)}";
                    text += $"; latest {detail} on {SummaryText.Date(last.Time)}.";
                    found.Add((flag?.StartsWith("critically", StringComparison.Ordinal) == true, last.Time,
                        new SummarySentence(text, points.Select(p => Citation.Event(p.EventId)).Distinct().ToList())));
                }
                else if (detail is not null && last.Time > RecentSince)
                {
                    var text = $"{name} {SummaryText.WithUnit(last.Value, series.Unit)} on {SummaryText.Date(last.Time)}, {detail}";
                    var citations = new List<Citation> { Citation.Event(last.EventId) };
                    if (points.Count >= 2 && points[^2] is var previous && previous.EventId != last.EventId)
                    {
                        text += $"; previously {SummaryText.Number(previous.Value)} on {SummaryText.Date(previous.Time)}";
                        citations.Add(Citation.Event(previous.EventId));
                    }
                    found.Add((flag!.StartsWith("critically", StringComparison.Ordinal), last.Time, new SummarySentence(text + ".", citations)));
                }
            }
            return found.OrderByDescending(f => f.Critical).ThenByDescending(f => f.Time).ThenBy(f => f.Sentence.Text, StringComparer.Ordinal)
                .Take(12).Select(f => f.Sentence).ToList();
        }

        private static string Name(LabSeries series) =>
            ProblemMap.SeriesOf(series.Code) is { } known ? Capitalise(known.ShortName) : SummaryText.ShortTitle(series.Name);

        /// <summary>"creatinine" → "Creatinine"; "eGFR" stays.</summary>
        private static string Capitalise(string text) =>
            text.Length > 1 && char.IsLower(text[0]) && !char.IsUpper(text[1]) ? char.ToUpperInvariant(text[0]) + text[1..] : text;

        public IReadOnlyList<SummarySentence> Medications()
        {
            var sentences = _record.ActiveMedications
                .OrderBy(m => m.Start ?? DateTimeOffset.MaxValue).ThenBy(m => m.Title, StringComparer.Ordinal)
                .Select(m => new SummarySentence(m.Title + (m.Start is { } s ? $", since {SummaryText.Date(s)}" : "") + ".", [Citation.Event(m.Id)]))
                .ToList();
            sentences.AddRange(chart.HeldMedications.Select(m =>
                new SummarySentence($"{m.Title} is on hold" + (m.Start is { } s ? $" (ordered {SummaryText.Date(s)})" : "") + ".", [Citation.Event(m.Id)])));
            return sentences;
        }

        public IReadOnlyList<SummarySentence> AllergyList() =>
            _record.Allergies
                .OrderBy(a => a.Title, StringComparer.Ordinal)
                .Select(a => IsNoKnownAllergy(a)
                    ? new SummarySentence("No known allergies" + (a.Start is { } s ? $" (recorded {SummaryText.Date(s)})" : "") + ".", [Citation.Event(a.Id)])
                    : new SummarySentence(a.Title + (a.ValueText is { Length: > 0 } r ? $": {r}" : "") + ".", [Citation.Event(a.Id)]))
                .ToList();

        private static bool IsNoKnownAllergy(ClinicalEvent allergy) =>
            allergy.Codes.Any(c => c.Code is "716186003" or "409137002")
            || allergy.Title.Contains("no known allerg", StringComparison.OrdinalIgnoreCase);

        public IReadOnlyList<SummarySentence> OpenQuestions()
        {
            var questions = new List<SummarySentence>();
            var problems = ActiveProblems().Where(p => p.Rule is not null).ToList();
            ClinicalEvent? First(ProblemKind kind) => problems.FirstOrDefault(p => p.Rule!.Kind == kind).Problem;

            if (First(ProblemKind.AtrialFibrillation) is { } af && !chart.HasActiveMedication(MedicationClasses.Anticoagulants))
            {
                var held = chart.HeldMedications.FirstOrDefault(m => MedicationClasses.IsIn(m, MedicationClasses.Anticoagulants));
                questions.Add(held is not null
                    ? new($"{af.Title} with {held.Title} on hold: is there a plan to restart anticoagulation?", [Citation.Event(af.Id), Citation.Event(held.Id)])
                    : new($"{af.Title} without an active anticoagulant: is this a deliberate decision?", [Citation.Event(af.Id)]));
            }
            if (_record.ActiveMedications.FirstOrDefault(m => MedicationClasses.IsIn(m, ["warfarin"])) is { } warfarin)
            {
                var inr = chart.Series(ProblemMap.Inr)?.Points.LastOrDefault(p => p.Time <= _asOf);
                if (inr is null)
                    questions.Add(new($"{warfarin.Title} is active but no INR result is recorded: is monitoring done elsewhere?", [Citation.Event(warfarin.Id)]));
                else if (inr.Time < _asOf.AddDays(-90))
                    questions.Add(new($"{warfarin.Title} is active and the last INR was on {SummaryText.Date(inr.Time)}: is an INR check due?", [Citation.Event(warfarin.Id), Citation.Event(inr.EventId)]));
            }
            if (First(ProblemKind.HeartFailure) is { } hf && chart.Series(ProblemMap.Lvef)?.Points.LastOrDefault(p => p.Time <= _asOf) is { Value: <= 40 } lvef
                && !chart.HasActiveMedication(MedicationClasses.BetaBlockers))
            {
                questions.Add(new($"{hf.Title} with LVEF {SummaryText.Number(lvef.Value)} % on {SummaryText.Date(lvef.Time)} and no active beta-blocker: contraindicated or not yet started?",
                    [Citation.Event(hf.Id), Citation.Event(lvef.EventId)]));
            }
            AddUntreated(questions, First(ProblemKind.Hypertension), MedicationClasses.Antihypertensives, "an antihypertensive", "lifestyle measures only?");
            AddUntreated(questions, First(ProblemKind.Diabetes), MedicationClasses.GlucoseLowering, "a glucose-lowering medication", "diet-controlled?");
            AddUntreated(questions, First(ProblemKind.Copd), MedicationClasses.Inhalers, "an inhaler", "is treatment recorded elsewhere?");
            if (First(ProblemKind.Diabetes) is { } diabetes)
            {
                var a1c = chart.Series(ProblemMap.HbA1c)?.Points.LastOrDefault(p => p.Time <= _asOf);
                if (a1c is not null && a1c.Time < _asOf.AddDays(-365))
                    questions.Add(new($"{diabetes.Title}: the last HbA1c was on {SummaryText.Date(a1c.Time)}; is a repeat due?", [Citation.Event(diabetes.Id), Citation.Event(a1c.EventId)]));
            }
            // NSAIDs harm kidneys, worsen heart failure and cause GI bleeding.
            var nsaidRisk = First(ProblemKind.ChronicKidneyDisease) ?? First(ProblemKind.AcuteKidneyInjury) ?? First(ProblemKind.HeartFailure) ?? First(ProblemKind.GastrointestinalBleed);
            if (nsaidRisk is not null && _record.ActiveMedications.FirstOrDefault(m => MedicationClasses.IsIn(m, MedicationClasses.Nsaids)) is { } nsaid)
            {
                questions.Add(new($"{nsaid.Title} is active with {SummaryText.InSentence(nsaidRisk.Title)}: is the NSAID still appropriate?",
                    [Citation.Event(nsaid.Id), Citation.Event(nsaidRisk.Id)]));
            }
            questions.AddRange(NewlyAbnormalNotRepeated());
            return questions.Take(8).ToList();
        }

        private void AddUntreated(List<SummarySentence> questions, ClinicalEvent? problem, string[] treatments, string what, string question)
        {
            if (problem is null || chart.HasActiveMedication(treatments)) return;
            questions.Add(new($"{problem.Title} without {what} among the active medications: {question}", [Citation.Event(problem.Id)]));
        }

        /// <summary>A lab whose latest result turned abnormal after a normal one, and was not repeated within a month.</summary>
        private IEnumerable<SummarySentence> NewlyAbnormalNotRepeated()
        {
            foreach (var series in chart.AllSeries.Where(s => chart.IsLab.Contains(s.Code)))
            {
                var points = series.Points.Where(p => p.Time <= _asOf).ToList();
                if (points.Count < 2 || points[^1] is not { Abnormal: true } last || points[^2].Abnormal || last.Time > _asOf.AddDays(-30)) continue;
                yield return new SummarySentence(
                    $"{Name(series)} {SummaryText.WithUnit(last.Value, series.Unit)} on {SummaryText.Date(last.Time)} was newly {Flag(last, series)} after {SummaryText.Number(points[^2].Value)} on {SummaryText.Date(points[^2].Time)} and has not been repeated: is follow-up planned?",
                    [Citation.Event(last.EventId), Citation.Event(points[^2].EventId)]);
            }
        }

        private static List<Citation> Distinct(List<Citation> citations) => citations.Distinct().ToList();
    }
}
