using System.Globalization;
using System.Text;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Findings;

namespace ClinicianPortal.Shared.Reasoning.Evaluation;

/// <summary>
/// DDXPlus's own knowledge base converted into the project's <see cref="KnowledgeBase"/>, so that it goes
/// through the same compiler and engine as the curated KB.
/// <list type="bullet">
/// <item>Conditions: the 49 pathologies (name as DDXPlus spells it, its English name as a synonym if different,
/// its ICD-10 code). Prior: the pathology's share of the estimation patients, add-one smoothed, the same in
/// every care setting.</item>
/// <item>Findings: a binary evidence is one finding; a categorical or multi-choice evidence is one finding per
/// possible value ("pain location: left cheek", "pain intensity: 7").</item>
/// <item>Weights: DDXPlus lists which evidences each pathology can show, not how often. A condition weighs only
/// the findings of the evidences it lists. For each such pair, sensitivity = P(finding | condition) and the
/// false-positive rate = P(finding | another condition) are counted on the estimation patients and shrunk
/// towards stated defaults (<see cref="DefaultSensitivity"/> with the weight of <see cref="SensitivityPseudoCount"/>
/// patients; one value of an n-valued evidence starts from that / n; <see cref="DefaultFalsePositiveRate"/> with
/// the weight of one patient). With no estimation patients the weights are the defaults alone.
/// LR+ = se / fpr, LR− = (1 − se) / (1 − fpr).</item>
/// </list>
/// Estimate on patients you do not score: <see cref="Split"/> gives the deterministic halves.
/// </summary>
public static class DdxPlusKnowledge
{
    public const double DefaultSensitivity = 0.5;
    public const double SensitivityPseudoCount = 2;
    public const double DefaultFalsePositiveRate = 0.05;
    public const string System = "ddxplus";
    public const string ReferenceId = "ddxplus-2022";

    /// <summary>Even rows (0, 2, 4...) estimate the weights; odd rows are held out and scored.</summary>
    public static (IReadOnlyList<DdxPlusPatient> Estimation, IReadOnlyList<DdxPlusPatient> HeldOut) Split(IReadOnlyList<DdxPlusPatient> patients) =>
        ([.. patients.Where(p => p.Row % 2 == 0)], [.. patients.Where(p => p.Row % 2 == 1)]);

    /// <summary>Finding id of a patient's evidence item: "E_91" → "ddxplus-e-91", "E_55_@_V_123" → "ddxplus-e-55-v-123".</summary>
    public static string FindingId(string evidenceItem) =>
        "ddxplus-" + Kebab(evidenceItem.Replace("_@_", "-", StringComparison.Ordinal));

    public static string FindingId(string code, string value) => FindingId(code + "_@_" + value);

    public static string ConditionId(string name) => Kebab(name);

    public static KnowledgeBase Build(IReadOnlyList<DdxPlusCondition> conditions, IReadOnlyList<DdxPlusEvidence> evidences, IReadOnlyList<DdxPlusPatient> estimation)
    {
        var byCode = evidences.ToDictionary(e => e.Code, StringComparer.Ordinal);
        var findings = new List<Finding>();
        var findingsOf = new Dictionary<string, List<(string Id, double BaseSensitivity)>>(StringComparer.Ordinal);
        foreach (var e in evidences)
        {
            var kind = e.IsAntecedent ? FindingKind.History : FindingKind.Symptom;
            var ids = new List<(string, double)>();
            if (e.DataType == "B" || e.Values.Count == 0)
            {
                ids.Add((FindingId(e.Code), DefaultSensitivity));
                findings.Add(NewFinding(FindingId(e.Code), e.Question, kind));
            }
            else
            {
                foreach (var (value, meaning) in e.Values)
                {
                    ids.Add((FindingId(e.Code, value), DefaultSensitivity / e.Values.Count));
                    findings.Add(NewFinding(FindingId(e.Code, value), $"{e.Question} {meaning}", kind));
                }
            }
            findingsOf[e.Code] = ids;
        }

        // Counts on the estimation patients: per condition, and per (condition, finding).
        var patientsOf = estimation.GroupBy(p => p.Pathology, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var withFinding = new Dictionary<(string Condition, string Finding), int>();
        var findingTotal = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in estimation)
            foreach (var id in p.Evidences.Select(FindingId).Distinct())
            {
                withFinding[(p.Pathology, id)] = withFinding.GetValueOrDefault((p.Pathology, id)) + 1;
                findingTotal[id] = findingTotal.GetValueOrDefault(id) + 1;
            }

        var converted = new List<Condition>();
        foreach (var c in conditions)
        {
            int n = patientsOf.GetValueOrDefault(c.Name), others = estimation.Count - n;
            var weights = new List<ConditionFinding>();
            foreach (var code in c.Evidences.Where(byCode.ContainsKey))
                foreach (var (id, baseSe) in findingsOf[code])
                {
                    int k = withFinding.GetValueOrDefault((c.Name, id)), kOthers = findingTotal.GetValueOrDefault(id) - k;
                    var se = Math.Clamp((k + SensitivityPseudoCount * baseSe) / (n + SensitivityPseudoCount), 0.001, 0.999);
                    var fpr = Math.Clamp((kOthers + DefaultFalsePositiveRate) / (others + 1.0), 0.0005, 0.999);
                    double lrPlus = se / fpr, lrMinus = (1 - se) / (1 - fpr);
                    weights.Add(new ConditionFinding
                    {
                        Finding = id,
                        LrPositive = lrPlus,
                        LrNegative = lrMinus,
                        Effect = lrPlus >= 1 ? FindingEffect.Supports : FindingEffect.Refutes,
                        Source = ConditionFinding.Estimate,
                        Reference = ReferenceId,
                        Note = $"{k}/{n} estimation patients with the condition, {kOthers}/{others} without",
                    });
                }
            var per1000 = 1000.0 * (n + 1) / (estimation.Count + conditions.Count);
            converted.Add(new Condition
            {
                Id = ConditionId(c.Name),
                Name = c.Name,
                Synonyms = c.EnglishName != c.Name ? [c.EnglishName] : [],
                Codes = new Codes { Icd10 = [c.Icd10] },
                System = System,
                Prevalence = new Prevalence { Emergency = per1000, Inpatient = per1000, PrimaryCare = per1000, Source = "estimate" },
                Findings = weights,
                References = [ReferenceId],
                Notes = $"DDXPlus pathology, severity {c.Severity} (1 = most severe).",
            });
        }
        var reference = new Reference
        {
            Id = ReferenceId,
            Title = "DDXPlus: A New Dataset For Automatic Medical Diagnosis",
            Source = "NeurIPS 2022 Datasets and Benchmarks",
            Year = 2022,
            Url = "https://figshare.com/articles/dataset/DDXPlus_Dataset/20043374",
        };
        return new KnowledgeBase(converted, findings, [], [reference]);
    }

    /// <summary>
    /// A patient with all evidences given at once: each finding of the converted KB is present when the patient
    /// has it and absent otherwise. Evidence items the KB does not know are left out.
    /// </summary>
    public static FindingSet FindingsOf(DdxPlusPatient patient, KnowledgeBase kb)
    {
        var present = patient.Evidences.Select(FindingId).ToHashSet(StringComparer.Ordinal);
        var findings = kb.Findings.Select(f => present.Contains(f.Id)
            ? new ExtractedFinding(f.Id, FindingState.Present, [], "reported")
            : new ExtractedFinding(f.Id, FindingState.Absent, [], "not reported")).ToList();
        return new FindingSet($"ddxplus-{patient.Row}", DateTimeOffset.UnixEpoch, findings);
    }

    private static Finding NewFinding(string id, string name, FindingKind kind) => new()
    {
        Id = id,
        Name = name,
        Kind = kind,
        Detection = new Detection { Phrases = [name.ToLowerInvariant()] },
    };

    private static string Kebab(string text)
    {
        var sb = new StringBuilder();
        foreach (var ch in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsAsciiLetterOrDigit(ch)) sb.Append(char.ToLowerInvariant(ch));
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        return sb.ToString().TrimEnd('-');
    }
}
