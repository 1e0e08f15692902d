using System.Globalization;
using System.Text.RegularExpressions;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Shared.Reasoning.Summary;

/// <summary>One reason a sentence is not grounded; <see cref="Sentence"/> is -1 for a summary-level problem.</summary>
public sealed record GroundingIssue(string SectionKey, int Sentence, string Reason);

/// <summary>The verdict of <see cref="SummaryGrounding.Check"/>.</summary>
public sealed record GroundingReport(IReadOnlyList<GroundingIssue> Issues)
{
    public bool IsGrounded => Issues.Count == 0;
}

/// <summary>
/// Verifies that a summary (ours, or prose rewritten by a language model) says nothing the chart does not:
/// every sentence cites at least one chart entry (an event or the patient), every cited id exists (and is not
/// after the summary's date), and every number in a sentence is a value, range limit, date, age or code
/// text of a cited entry, or follows from them: a difference or rate within one cited series (over all its
/// cited results or their earlier part), or a span between cited times. Rounding to the written precision is tolerated; nothing else is.
/// </summary>
public static partial class SummaryGrounding
{
    public static GroundingReport Check(CaseSummary summary, PatientRecord record, KnowledgeBase? knowledge = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(record);
        var issues = new List<GroundingIssue>();
        if (summary.PatientId != record.Patient.Id)
            issues.Add(new("", -1, "the summary is about a different patient than the record"));
        var events = new Dictionary<string, ClinicalEvent>(StringComparer.Ordinal);
        foreach (var e in record.Events) events.TryAdd(e.Id, e);

        foreach (var section in summary.Sections)
        {
            for (var i = 0; i < section.Sentences.Count; i++)
            {
                foreach (var reason in CheckSentence(section.Sentences[i], summary.AsOf, record.Patient, events, knowledge))
                    issues.Add(new(section.Key, i, reason));
            }
        }
        return new GroundingReport(issues);
    }

    private static IEnumerable<string> CheckSentence(SummarySentence sentence, DateTimeOffset asOf, PatientSummary patient,
        Dictionary<string, ClinicalEvent> events, KnowledgeBase? knowledge)
    {
        if (string.IsNullOrWhiteSpace(sentence.Text)) yield return "the sentence is empty";
        var citations = sentence.Citations ?? [];
        if (!citations.Any(c => c.Kind is CitationKind.Event or CitationKind.Patient))
            yield return "the sentence cites no chart entry";

        var evidence = new Evidence(asOf);
        foreach (var citation in citations)
        {
            switch (citation.Kind)
            {
                case CitationKind.Event when events.TryGetValue(citation.Id ?? "", out var e):
                    if (e.Start > asOf) yield return $"cites entry '{citation.Id}', which is dated after the summary";
                    else evidence.Add(e);
                    break;
                case CitationKind.Event:
                    yield return $"cites entry '{citation.Id}', which is not in the record";
                    break;
                case CitationKind.Patient when citation.Id == patient.Id:
                    evidence.Add(patient);
                    break;
                case CitationKind.Patient:
                    yield return $"cites patient '{citation.Id}', who is not this record's patient";
                    break;
                case CitationKind.Reference when knowledge is null:
                    yield return $"cites reference '{citation.Id}', which cannot be verified without the knowledge base";
                    break;
                case CitationKind.Reference when knowledge.Reference(citation.Id ?? "") is { } reference:
                    evidence.Add(reference);
                    break;
                case CitationKind.Reference:
                    yield return $"cites reference '{citation.Id}', which is not in the knowledge base";
                    break;
                default:
                    yield return "has a citation of an unknown kind";
                    break;
            }
        }
        foreach (var reason in CheckNumbers(sentence.Text ?? "", evidence.Seal())) yield return reason;
    }

    private static IEnumerable<string> CheckNumbers(string text, Evidence evidence)
    {
        foreach (Match date in IsoDate().Matches(text))
        {
            if (!evidence.Dates.Contains(date.Value)) yield return $"the date {date.Value} is not a date of a cited entry";
        }
        text = IsoDate().Replace(text, " ");
        foreach (Match time in ClockTime().Matches(text))
        {
            if (!evidence.Clock.Contains(time.Value.PadLeft(5, '0'))) yield return $"the time {time.Value} is not a time of a cited entry";
        }
        text = ClockTime().Replace(text, " ");
        foreach (Match number in NumberToken().Matches(text))
        {
            var value = double.Parse(number.Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            var decimals = number.Value.Contains('.', StringComparison.Ordinal) ? number.Value.Length - number.Value.IndexOf('.', StringComparison.Ordinal) - 1 : 0;
            var tolerance = 0.5 * Math.Pow(10, -decimals) + 1e-9 * Math.Max(1, value);
            var after = FollowingWords(text, number.Index + number.Length);
            var candidates = evidence.Plain.AsEnumerable();
            if (SpanUnit().Match(after) is { Success: true } unit) candidates = candidates.Concat(evidence.SpansIn(unit.Groups[1].Value));
            if (RateUnit().IsMatch(after)) candidates = candidates.Concat(evidence.Rates);
            if (!candidates.Any(c => Math.Abs(c - value) <= tolerance))
                yield return $"the number {number.Value} is not supported by the cited entries";
        }
    }

    /// <summary>The words after a number, up to the next digit: what the number counts ("years", "per year", "mg/dL").</summary>
    private static string FollowingWords(string text, int from)
    {
        var end = from;
        while (end < text.Length && end - from < 40 && !char.IsDigit(text[end])) end++;
        return text[from..end].ToLowerInvariant();
    }

    /// <summary>What the cited entries make true: their numbers, dates and times, and what follows from them.</summary>
    private sealed class Evidence(DateTimeOffset asOf)
    {
        public readonly List<double> Plain = [];
        /// <summary>Spans between cited times, in days.</summary>
        private readonly List<double> _spanDays = [];
        public readonly List<double> Rates = [];
        public readonly HashSet<string> Dates = new(StringComparer.Ordinal);
        public readonly HashSet<string> Clock = new(StringComparer.Ordinal);
        private readonly List<DateTimeOffset> _anchors = [asOf];
        private readonly Dictionary<string, List<(DateTimeOffset Time, double Value)>> _series = new(StringComparer.Ordinal);

        public void Add(ClinicalEvent e)
        {
            foreach (var t in new[] { e.Start, e.End }.OfType<DateTimeOffset>())
            {
                Dates.Add(SummaryText.Date(t));
                Dates.Add(SummaryText.Date(t.ToUniversalTime()));
                Clock.Add(t.ToString("HH:mm", CultureInfo.InvariantCulture));
                Clock.Add(t.ToUniversalTime().ToString("HH:mm", CultureInfo.InvariantCulture));
                Plain.Add(t.Year);
            }
            if (e.Start is { } start)
            {
                _anchors.Add(start);
                if (e.End is { } end) _anchors.Add(end);
            }
            NumbersIn(e.Title);
            foreach (var c in e.Codes) NumbersIn(c.Display);
            NumbersIn(e.ValueText);
            NumbersIn(e.Text);
            NumbersIn(e.Range?.Text);
            if (e.Range is { } range) Plain.AddRange(new[] { range.Low, range.High }.OfType<double>());
            if (e.Value is { } q)
            {
                Measure(e.CodeIn(Coding.Loinc) ?? e.Code?.Code ?? e.Title, e.Start, q);
            }
            foreach (var component in e.Components)
            {
                NumbersIn(component.Code.Display);
                NumbersIn(component.ValueText);
                if (component.Value is { } cq) Measure(component.Code.Code ?? component.Code.Display ?? "", e.Start, cq);
            }
        }

        public void Add(PatientSummary patient)
        {
            var ages = new[] { SummaryText.AgeYears(patient, asOf), patient.Age }.OfType<int>().ToList();
            if (patient.IsOver89 || ages.Any(a => a > 89)) Plain.Add(90); // "90+": the exact age above 89 is not disclosed
            else Plain.AddRange(ages.Select(a => (double)a));
        }

        public void Add(Reference reference)
        {
            Plain.Add(reference.Year);
            NumbersIn(reference.Title);
        }

        /// <summary>The spans in the unit the sentence names ("3 years" is checked in years only).</summary>
        public IEnumerable<double> SpansIn(string unit) => unit[0] switch
        {
            'h' => _spanDays.Select(d => d * 24),
            'd' => _spanDays,
            'w' => _spanDays.Select(d => d / 7),
            'm' => _spanDays.Select(d => d / SummaryText.DaysPerMonth),
            _ => _spanDays.Select(d => d / SummaryText.DaysPerYear),
        };

        private void Measure(string code, DateTimeOffset? time, Quantity quantity)
        {
            Plain.Add(Math.Abs(quantity.Value));
            NumbersIn(quantity.Unit);
            if (time is { } t)
            {
                if (!_series.TryGetValue(code, out var points)) _series[code] = points = [];
                points.Add((t, quantity.Value));
            }
        }

        private void NumbersIn(string? text)
        {
            if (string.IsNullOrEmpty(text)) return;
            foreach (Match m in AnyNumber().Matches(text))
            {
                if (double.TryParse(m.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) Plain.Add(v);
            }
        }

        /// <summary>Adds differences and rates within each cited series, and spans between cited times.</summary>
        public Evidence Seal()
        {
            foreach (var points in _series.Values)
            {
                var ordered = points.OrderBy(p => p.Time).ToList();
                _anchors.Add(ordered[0].Time);
                _anchors.Add(ordered[^1].Time);
                if (ordered.Count < 2) continue;
                Plain.Add(ordered.Max(p => p.Value) - ordered.Min(p => p.Value));
                // Changes and rates over the cited results, or over their earlier part (a course before an acute presentation).
                var series = ordered.Select(p => new SeriesPoint(p.Time, p.Value, false, "")).ToList();
                for (var n = 2; n <= series.Count; n++)
                {
                    var (first, last) = (series[0], series[n - 1]);
                    _anchors.Add(last.Time);
                    Plain.Add(Math.Abs(last.Value - first.Value));
                    var years = (last.Time - first.Time).TotalDays / SummaryText.DaysPerYear;
                    if (years <= 0) continue;
                    Rates.Add(Math.Abs((last.Value - first.Value) / years));
                    Rates.Add(Math.Abs(Trend.SlopePerYearOf(series.Take(n).ToList())));
                }
            }
            var anchors = _anchors.Distinct().ToList();
            for (var i = 0; i < anchors.Count; i++)
            {
                for (var j = i + 1; j < anchors.Count; j++)
                {
                    _spanDays.Add(Math.Abs((anchors[j] - anchors[i]).TotalDays));
                }
            }
            return this;
        }
    }

    [GeneratedRegex(@"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"(?<![\d:])\d{1,2}:\d{2}(?![\d:])")]
    private static partial Regex ClockTime();

    /// <summary>A number standing on its own: not part of a word such as HbA1c, SpO2 or m2.</summary>
    [GeneratedRegex(@"(?<![\p{L}\p{Nd}_.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\p{Nd}])")]
    private static partial Regex NumberToken();

    [GeneratedRegex(@"\d+(?:\.\d+)?")]
    private static partial Regex AnyNumber();

    [GeneratedRegex(@"^\s*-?\s*(hours?|hrs?|h|days?|d|weeks?|wks?|months?|mos?|years?|yrs?|y)\b")]
    private static partial Regex SpanUnit();

    [GeneratedRegex(@"(?:/\s*(?:yr|year|y)\b|\bper\s+(?:year|yr|annum)\b|\ba\s+year\b|\bannually\b|\byearly\b)")]
    private static partial Regex RateUnit();
}
