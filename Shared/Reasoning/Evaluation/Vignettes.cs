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
/// Demographic findings are judged from the stated age and sex. Labs and vitals given as numbers are not read.
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
}
