using System.Text;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Tests.Infrastructure;

namespace ClinicianPortal.Tests.Knowledge;

public class KnowledgeBaseLoadingTests
{
    private static readonly Lazy<KnowledgeBase> Shipped = new(KnowledgeBase.LoadEmbedded);

    [Fact]
    public void The_shipped_knowledge_base_loads_and_passes_the_validator()
    {
        var kb = Shipped.Value;
        var result = new KnowledgeBaseValidator().Validate(kb);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors.Select(e => e.ErrorMessage)));
        Assert.True(kb.Conditions.Count >= 150, $"expected at least 150 conditions, found {kb.Conditions.Count}");
    }

    [Fact]
    public void The_embedded_and_the_source_directory_hold_the_same_knowledge()
    {
        var fromDirectory = KnowledgeBase.LoadDirectory(Path.Combine(TestEnvironment.RepositoryRoot, "Shared", "Knowledge", "Data"));
        Assert.Equal(Shipped.Value.Conditions.Select(c => c.Id).Order(), fromDirectory.Conditions.Select(c => c.Id).Order());
        Assert.Equal(Shipped.Value.Findings.Count, fromDirectory.Findings.Count);
    }

    [Fact]
    public void Loaded_lists_cannot_be_modified_through_a_cast()
    {
        var condition = Shipped.Value.Condition("pulmonary-embolism")!;
        Assert.Throws<NotSupportedException>(() => ((IList<string>)condition.Synonyms).Add("mutated"));
        Assert.Throws<NotSupportedException>(() => ((IList<ConditionFinding>)condition.Findings).Clear());
    }

    [Fact]
    public void Lookups_by_id_return_the_linked_finding_test_and_reference()
    {
        var kb = Shipped.Value;
        var pe = kb.Condition("pulmonary-embolism")!;
        Assert.All(pe.Findings, f => Assert.NotNull(kb.Finding(f.Finding)));
        Assert.All(pe.Tests, t => Assert.NotNull(kb.Test(t.Test)));
        Assert.All(pe.References, r => Assert.NotNull(kb.Reference(r)));
        Assert.Null(kb.Condition("no-such-condition"));
    }

    [Fact]
    public void Likelihood_ratios_are_derived_from_sensitivity_and_specificity()
    {
        var f = new ConditionFinding { Finding = "x", Sensitivity = 0.9, Specificity = 0.8, Source = "estimate" };
        Assert.Equal(4.5, f.PositiveLikelihoodRatio!.Value, 6);
        Assert.Equal(0.125, f.NegativeLikelihoodRatio!.Value, 6);
    }

    [Fact]
    public void A_single_stream_with_every_section_loads()
    {
        const string json = """
        {
          "references": [{ "id": "r", "title": "T", "source": "S", "year": 2020, "url": "https://example.org/" }],
          "tests": [{ "id": "t", "name": "T", "rulesIn": "a", "rulesOut": "b" }],
          "findings": [
            { "id": "a", "name": "A", "kind": "symptom", "detection": { "phrases": ["a"] } },
            { "id": "b", "name": "B", "kind": "risk-factor", "detection": { "demographic": { "minAge": 65 } } },
            { "id": "c", "name": "C", "kind": "lab", "detection": { "observations": [{ "loinc": ["2160-0"], "comparator": ">", "threshold": 1.5, "unit": "mg/dL" }] } }
          ],
          "conditions": [{
            "id": "x", "name": "X", "synonyms": ["ex"], "codes": { "icd10": ["A00"] }, "system": "test",
            "prevalence": { "emergency": 1, "inpatient": 1, "primaryCare": 1, "source": "estimate" },
            "findings": [
              { "finding": "a", "lrPositive": 2, "lrNegative": 0.5, "source": "published", "reference": "r" },
              { "finding": "b", "sensitivity": 0.6, "specificity": 0.7, "source": "estimate" },
              { "finding": "c", "lrPositive": 0.5, "lrNegative": 1.5, "effect": "refutes", "source": "estimate" }
            ],
            "tests": [{ "test": "t", "distinguishes": "x" }],
            "references": ["r"]
          }]
        }
        """;
        var kb = KnowledgeBase.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(FindingEffect.Refutes, kb.Condition("x")!.Findings[2].Effect);
        Assert.Equal(FindingKind.RiskFactor, kb.Finding("b")!.Kind);
    }

    [Fact]
    public void An_invalid_file_is_rejected_with_every_problem_listed()
    {
        const string json = """
        { "conditions": [{ "id": "Bad Id", "name": "X", "system": "s",
            "prevalence": { "emergency": 0, "inpatient": 1, "primaryCare": 1, "source": "estimate" } }] }
        """;
        var e = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBase.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "bad.json"));
        Assert.Contains("id must be lower-case kebab case", e.Message, StringComparison.Ordinal);
        Assert.Contains("needs at least 3 findings", e.Message, StringComparison.Ordinal);
        Assert.Contains("prevalence in emergency", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_or_unknown_members_are_rejected_naming_the_file()
    {
        var e = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBase.Load(new MemoryStream("{ \"conditions\": [ }"u8.ToArray()), "broken.json"));
        Assert.StartsWith("broken.json:", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBase.Load(new MemoryStream("{ \"condition\": [] }"u8.ToArray()), "typo.json"));
        Assert.StartsWith("typo.json:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_directory_is_a_clear_error()
    {
        var e = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBase.LoadDirectory("/nonexistent/kb"));
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }
}
