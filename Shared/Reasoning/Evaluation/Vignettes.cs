using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Findings;

namespace ClinicianPortal.Shared.Reasoning.Evaluation;

/// <summary>A clinical vignette reduced to a note: free text with section headers, plus age and sex when stated.</summary>
public sealed record Vignette(string Id, string GoldDiagnosis, string Text, int? Age, string? Sex);

/// <summary>
/// Reads vignette JSONL files. Two formats are recognised per line: Avey (symptomcheck-bench:
/// correct_diagnosis, demographics, chief_complaints, presentation, absent_findings, physical_history,
/// family_history, social_history) and AgentClinic OSCE (OSCE_Examination with Patient_Actor,
/// Physical_Examination_Findings, Test_Results, Correct_Diagnosis). The gold diagnosis is never put in the text.
/// </summary>
public static partial class VignetteReader
{
    public enum Format { Unknown, Avey, AgentClinic }

    public static Format Detect(JsonElement line) =>
        line.ValueKind != JsonValueKind.Object ? Format.Unknown
        : line.TryGetProperty("correct_diagnosis", out _) && line.TryGetProperty("presentation", out _) ? Format.Avey
        : line.TryGetProperty("OSCE_Examination", out _) ? Format.AgentClinic
        : Format.Unknown;

    /// <summary>Whether the first non-empty line of a file is a vignette this reader knows.</summary>
    public static bool IsVignetteFile(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try { using var doc = JsonDocument.Parse(line); return Detect(doc.RootElement) != Format.Unknown; }
            catch (JsonException) { return false; }
        }
        return false;
    }

    /// <exception cref="InvalidDataException">A line that is not JSON or not a known vignette, named by its number.</exception>
    public static IReadOnlyList<Vignette> Read(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var list = new List<Vignette>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonDocument doc;
            try { doc = JsonDocument.Parse(line); }
            catch (JsonException e) { throw new InvalidDataException($"{Path.GetFileName(path)}, line {number}: not JSON ({e.Message})."); }
            using (doc)
            {
                var id = $"{name}:{number}";
                list.Add(Detect(doc.RootElement) switch
                {
                    Format.Avey => FromAvey(id, doc.RootElement),
                    Format.AgentClinic => FromAgentClinic(id, doc.RootElement.GetProperty("OSCE_Examination")),
                    _ => throw new InvalidDataException($"{Path.GetFileName(path)}, line {number}: neither an Avey nor an AgentClinic vignette."),
                });
            }
        }
        return list;
    }

    internal static Vignette FromAvey(string id, JsonElement v)
    {
        string Field(string key) => v.TryGetProperty(key, out var x) && x.ValueKind == JsonValueKind.String ? x.GetString()!.Trim() : "";
        var text = new StringBuilder();
        // Blank lines end a section for the phrase matcher, so each section's context stays its own.
        Section(text, "Chief complaint", Field("chief_complaints"));
        Section(text, null, Field("presentation"));
        // "No sorethroat, No nausea or vomiting, ...": one sentence per denial.
        Section(text, null, string.Join(". ", Field("absent_findings").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
        Section(text, "Past medical history", Field("physical_history"));
        Section(text, "Social history", Field("social_history"));
        Section(text, "Family history", Field("family_history"));
        var (age, sex) = Demographics(Field("demographics"));
        return new Vignette(id, Field("correct_diagnosis"), text.ToString(), age, sex);
    }

    internal static Vignette FromAgentClinic(string id, JsonElement osce)
    {
        var gold = osce.TryGetProperty("Correct_Diagnosis", out var g) ? g.ToString().Trim() : "";
        var body = new StringBuilder();
        var history = new StringBuilder();
        string? demographics = null;
        foreach (var part in osce.EnumerateObject())
        {
            // The objective says what the examiner wants assessed, and the diagnosis is the answer: neither is the patient's.
            if (part.Name is "Correct_Diagnosis" or "Objective_for_Doctor") continue;
            Flatten(part.Name, part.Value, body, history, ref demographics);
        }
        var (age, sex) = Demographics(demographics ?? "");
        return new Vignette(id, gold, body.Append(history).ToString(), age, sex);
    }

    private static void Flatten(string key, JsonElement value, StringBuilder body, StringBuilder history, ref string? demographics)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in value.EnumerateObject()) Flatten(p.Name, p.Value, body, history, ref demographics);
                break;
            case JsonValueKind.Array:
                Section(body, Label(key), string.Join(". ", value.EnumerateArray().Select(x => x.ToString().Trim())));
                break;
            default:
                var text = value.ToString().Trim();
                if (key == "Demographics") { demographics = text; break; }
                // Past, social and family history go last under their own headers (the matcher reads them as such).
                if (key is "Past_Medical_History" or "Social_History" or "Family_History") Section(history, Label(key), text);
                else Section(body, Label(key), text);
                break;
        }
    }

    private static string Label(string key) => key.Replace('_', ' ') is var s && s.Length > 0 ? char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant() : s;

    private static void Section(StringBuilder text, string? header, string content)
    {
        if (string.IsNullOrWhiteSpace(content) || content is "-" or "None") return;
        if (header is not null) text.Append(header).Append(": ");
        text.Append(content.Replace('\n', ' ').TrimEnd()).Append(content.TrimEnd().EndsWith('.') ? "" : ".").Append("\n\n");
    }

    /// <summary>"61 year old Male", "35-year-old woman", "A 2-month-old boy": age in years (months count as 0) and sex.</summary>
    public static (int? Age, string? Sex) Demographics(string text)
    {
        var age = AgeYears().Match(text) is { Success: true } y ? int.Parse(y.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : AgeMonthsOrDays().IsMatch(text) ? 0 : (int?)null;
        var sex = Female().IsMatch(text) ? "female" : Male().IsMatch(text) ? "male" : null;
        return (age, sex);
    }

    [GeneratedRegex(@"(\d{1,3})\s*-?\s*(?:year|yr)s?\b", RegexOptions.IgnoreCase)]
    private static partial Regex AgeYears();
    [GeneratedRegex(@"\d{1,3}\s*-?\s*(?:month|week|day)s?\b", RegexOptions.IgnoreCase)]
    private static partial Regex AgeMonthsOrDays();
    [GeneratedRegex(@"\b(female|woman|girl|lady)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Female();
    [GeneratedRegex(@"\b(male|man|boy|gentleman)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Male();
}

/// <summary>
/// Maps a vignette's text to knowledge-base findings with the note matcher of the finding extractor
/// (<see cref="PhraseMatcher"/> over every finding's <see cref="Detection.Phrases"/>): affirmed → present;
/// negated → absent (an affirmation elsewhere in the text wins, as in the extractor); historical → present for
/// history and risk-factor findings, unknown otherwise; a relative's or a hypothetical mention → nothing.
/// Demographic findings are judged from the stated age and sex, vital-sign findings (fever, tachycardia,
/// hypotension, hypoxaemia...) from the vital signs written as numbers (<see cref="VignetteVitals"/>): a finding
/// with a value for each of its vital criteria is present when one is met and absent otherwise (a normal vital is
/// evidence, as in the record extractor). Laboratory values written as numbers are not read.
/// </summary>
public sealed class VignetteFindings
{
    private readonly KnowledgeBase _kb;
    private readonly PhraseMatcher _matcher;

    public VignetteFindings(KnowledgeBase kb)
    {
        _kb = kb;
        _matcher = new PhraseMatcher(kb.Findings.SelectMany(f => f.Detection.Phrases.Select(p => (f.Id, p))));
    }

    public FindingSet Extract(Vignette vignette)
    {
        var states = new Dictionary<string, FindingState>(StringComparer.Ordinal);
        foreach (var m in _matcher.Find(vignette.Text))
        {
            var kind = _kb.Finding(m.Key)!.Kind;
            var state = m.Context switch
            {
                MentionContext.Affirmed when !m.PhraseIsHistorical || kind is FindingKind.History or FindingKind.RiskFactor => FindingState.Present,
                MentionContext.Historical when kind is FindingKind.History or FindingKind.RiskFactor => FindingState.Present,
                MentionContext.Negated => FindingState.Absent,
                _ => FindingState.Unknown,
            };
            if (state == FindingState.Unknown) continue;
            if (state == FindingState.Present || !states.ContainsKey(m.Key)) states[m.Key] = state;
        }
        var vitals = VignetteVitals.Read(vignette.Text);
        foreach (var f in _kb.Findings)
        {
            var criteria = f.Detection.Observations;
            if (criteria.Count == 0 || !criteria.All(c => c.Threshold is not null && c.Loinc.Any(vitals.ContainsKey))) continue;
            var met = criteria.Any(c => c.Loinc.Where(vitals.ContainsKey).Any(l => Compare(vitals[l], c.Comparator, c.Threshold!.Value)));
            states[f.Id] = met ? FindingState.Present : FindingState.Absent;
        }
        foreach (var f in _kb.Findings)
        {
            if (f.Detection.Demographic is not { } d || states.ContainsKey(f.Id)) continue;
            if (d.Sex is not null && vignette.Sex is null) continue;
            if ((d.MinAge is not null || d.MaxAge is not null) && vignette.Age is null) continue;
            var met = (d.Sex is null || d.Sex.Equals(vignette.Sex, StringComparison.OrdinalIgnoreCase))
                && (d.MinAge is not { } min || vignette.Age >= min) && (d.MaxAge is not { } max || vignette.Age <= max);
            states[f.Id] = met ? FindingState.Present : FindingState.Absent;
        }
        return new FindingSet(vignette.Id, DateTimeOffset.UnixEpoch,
            [.. states.Select(s => new ExtractedFinding(s.Key, s.Value, [], s.Value == FindingState.Present ? "stated" : "denied"))]);
    }

    private static bool Compare(double value, string comparator, double threshold) => comparator switch
    {
        ">" => value > threshold,
        ">=" => value >= threshold,
        "<" => value < threshold,
        "<=" => value <= threshold,
        _ => false,
    };
}

/// <summary>
/// Vital signs written as numbers in a vignette ("Temperature: 38.9°C (102°F)", "Blood pressure: 85/50 mmHg",
/// "Heart rate: 120 bpm", "Respiratory rate: 24/min", "Oxygen saturation: 89% on room air"), by LOINC, in the
/// knowledge base's units (Cel, /min, mm[Hg], %). The first value of each is taken.
/// </summary>
public static partial class VignetteVitals
{
    public const string BodyTemperature = "8310-5", HeartRate = "8867-4", RespiratoryRate = "9279-1",
        Systolic = "8480-6", Diastolic = "8462-4", OxygenSaturation = "59408-5";

    public static IReadOnlyDictionary<string, double> Read(string text)
    {
        var vitals = new Dictionary<string, double>(StringComparer.Ordinal);
        static double Number(Group g) => double.Parse(g.Value, System.Globalization.CultureInfo.InvariantCulture);
        if (Temperature().Match(text) is { Success: true } t)
        {
            var value = Number(t.Groups["value"]);
            var fahrenheit = t.Groups["unit"].Value.Equals("F", StringComparison.OrdinalIgnoreCase) || (t.Groups["unit"].Length == 0 && value > 50);
            vitals[BodyTemperature] = fahrenheit ? Math.Round((value - 32) * 5 / 9, 1) : value;
        }
        if (BloodPressure().Match(text) is { Success: true } bp)
        {
            vitals[Systolic] = Number(bp.Groups["sys"]);
            vitals[Diastolic] = Number(bp.Groups["dia"]);
        }
        if (Pulse().Match(text) is { Success: true } hr) vitals[HeartRate] = Number(hr.Groups["value"]);
        if (Respiration().Match(text) is { Success: true } rr) vitals[RespiratoryRate] = Number(rr.Groups["value"]);
        if (Saturation().Match(text) is { Success: true } sat) vitals[OxygenSaturation] = Number(sat.Groups["value"]);
        // Keep only plausible readings: a number that is not a vital sign must not become one.
        if (vitals.TryGetValue(BodyTemperature, out var temp) && temp is < 30 or > 45) vitals.Remove(BodyTemperature);
        if (vitals.TryGetValue(HeartRate, out var pulse) && pulse is < 20 or > 250) vitals.Remove(HeartRate);
        if (vitals.TryGetValue(RespiratoryRate, out var resp) && resp is < 4 or > 70) vitals.Remove(RespiratoryRate);
        if (vitals.TryGetValue(OxygenSaturation, out var spo2) && spo2 is < 50 or > 100) vitals.Remove(OxygenSaturation);
        return vitals;
    }

    [GeneratedRegex(@"\btemp(?:erature)?\b[^0-9\n.]{0,20}(?<value>\d{2,3}(?:\.\d+)?)\s*°?\s*(?<unit>[CF])?\b", RegexOptions.IgnoreCase)]
    private static partial Regex Temperature();
    [GeneratedRegex(@"(?<sys>\d{2,3})\s*/\s*(?<dia>\d{2,3})\s*mm\s*hg", RegexOptions.IgnoreCase)]
    private static partial Regex BloodPressure();
    [GeneratedRegex(@"\b(?:heart rate|pulse(?: rate)?|hr)\b[^0-9\n.]{0,20}(?<value>\d{2,3})\b", RegexOptions.IgnoreCase)]
    private static partial Regex Pulse();
    [GeneratedRegex(@"\b(?:respiratory rate|respiration rate|respirations|rr)\b[^0-9\n.]{0,20}(?<value>\d{1,2})\b", RegexOptions.IgnoreCase)]
    private static partial Regex Respiration();
    [GeneratedRegex(@"\b(?:oxygen saturation|o2 saturation|spo2|sao2|o2 sat|pulse oximetry)\b[^0-9\n.]{0,25}(?<value>\d{2,3})\s*%", RegexOptions.IgnoreCase)]
    private static partial Regex Saturation();
}
