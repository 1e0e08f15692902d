using System.Text.Json;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ClinicianPortal.Tests.Knowledge;

/// <summary>
/// Does the knowledge base cover what the portal is asked about: the conditions the "Case review" issue
/// lists, and the gold diagnoses of the development benchmarks (../shared/data, never holdout/)?
/// </summary>
public class KnowledgeCoverageTests(ITestOutputHelper output)
{
    private static readonly Lazy<KnowledgeBase> Kb = new(KnowledgeBase.LoadEmbedded);

    // The conditions named in the issue, as a clinician would write them.
    public static TheoryData<string> IssueConditions() =>
    [
        "acute coronary syndrome", "STEMI", "NSTEMI", "unstable angina", "stable angina", "pulmonary embolism", "DVT",
        "community-acquired pneumonia", "sepsis", "septic shock", "heart failure exacerbation", "COPD exacerbation",
        "asthma exacerbation", "DKA", "HHS", "hypoglycaemia", "AKI", "CKD progression", "hyperkalaemia", "hyponatraemia",
        "ischaemic stroke", "haemorrhagic stroke", "TIA", "subarachnoid haemorrhage", "upper GI bleeding", "lower GI bleeding",
        "acute pancreatitis", "appendicitis", "cholecystitis", "cholangitis", "bowel obstruction", "diverticulitis", "UTI",
        "pyelonephritis", "cellulitis", "necrotising fasciitis", "meningitis", "encephalitis", "iron deficiency anaemia",
        "B12 deficiency", "haemolytic anaemia", "hypothyroidism", "hyperthyroidism", "thyroid storm", "atrial fibrillation",
        "aortic dissection", "pericarditis", "myocarditis", "endocarditis", "tamponade", "pneumothorax", "influenza",
        "COVID-19", "bronchitis", "anaphylaxis", "cirrhosis decompensation", "hepatic encephalopathy", "alcohol withdrawal",
        "opioid overdose", "delirium", "vasovagal syncope", "orthostatic hypotension", "cardiac syncope", "gout",
        "septic arthritis", "osteomyelitis", "renal colic", "ectopic pregnancy", "testicular torsion", "migraine", "GERD",
        "peptic ulcer", "gastroenteritis", "C. difficile", "hypertensive emergency", "hypertensive urgency", "panic disorder",
        "depression",
    ];

    [Theory]
    [MemberData(nameof(IssueConditions))]
    public void The_knowledge_base_covers_each_condition_listed_in_the_issue(string name) =>
        Assert.True(Kb.Value.FindByName(name) is not null, $"no condition found for '{name}'");

    [Fact]
    public void Most_DDXPlus_pathologies_match_a_condition_by_name()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestEnvironment.SharedData("ddxplus", "release_conditions.json")));
        var names = doc.RootElement.EnumerateObject().Select(p => p.Value.GetProperty("cond-name-eng").GetString()!).ToList();
        var (matched, missing) = Match(names);
        Report("DDXPlus pathologies", names.Count, matched, missing);
        foreach (var n in matched.Order(StringComparer.Ordinal)) output.WriteLine($"  {n} -> {Kb.Value.FindByName(n)!.Id}");
        Assert.Equal(49, names.Count);
        // Out of the portal's adult acute/primary-care scope: croup and bronchiolitis (children).
        Assert.True(matched.Count >= 47, $"only {matched.Count}/49 DDXPlus pathologies matched");
    }

    [Fact]
    public void Vignette_gold_diagnoses_are_matched_and_reported()
    {
        var avey = GoldLabels("avey_400_vignettes.jsonl", e => e.GetProperty("correct_diagnosis").GetString());
        var agentClinic = GoldLabels("agentclinic_medqa_extended.jsonl",
            e => e.GetProperty("OSCE_Examination").GetProperty("Correct_Diagnosis").GetString());

        var (aveyMatched, aveyMissing) = Match(avey.Keys);
        Report("Avey vignettes (distinct gold diagnoses)", avey.Count, aveyMatched, aveyMissing);
        var aveyCases = avey.Where(p => aveyMatched.Contains(p.Key)).Sum(p => p.Value);
        output.WriteLine($"Avey vignettes whose gold diagnosis matches: {aveyCases}/{avey.Values.Sum()}");

        var (acMatched, acMissing) = Match(agentClinic.Keys);
        Report("AgentClinic MedQA (distinct gold diagnoses)", agentClinic.Count, acMatched, acMissing);

        // Floors well under today's numbers, so that a regression in lookup or data shows up.
        Assert.True(aveyMatched.Count >= avey.Count / 2, $"Avey: only {aveyMatched.Count}/{avey.Count} distinct diagnoses matched");
        Assert.True(acMatched.Count >= agentClinic.Count / 5, $"AgentClinic: only {acMatched.Count}/{agentClinic.Count} matched");
    }

    private static Dictionary<string, int> GoldLabels(string file, Func<JsonElement, string?> label)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(TestEnvironment.SharedData("vignettes", file)).Where(l => l.Trim().Length > 0))
        {
            using var doc = JsonDocument.Parse(line);
            var name = label(doc.RootElement)?.Trim();
            if (!string.IsNullOrEmpty(name)) counts[name] = counts.GetValueOrDefault(name) + 1;
        }
        return counts;
    }

    private static (HashSet<string> Matched, List<string> Missing) Match(IEnumerable<string> names)
    {
        var matched = new HashSet<string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var n in names)
        {
            if (Kb.Value.FindByName(n) is not null) matched.Add(n);
            else missing.Add(n);
        }
        return (matched, missing);
    }

    private void Report(string what, int total, HashSet<string> matched, List<string> missing)
    {
        output.WriteLine($"{what}: {matched.Count}/{total} match a knowledge-base condition ({100.0 * matched.Count / total:0.0}%)");
        output.WriteLine("  unmatched: " + string.Join("; ", missing.Order(StringComparer.Ordinal)));
    }
}
