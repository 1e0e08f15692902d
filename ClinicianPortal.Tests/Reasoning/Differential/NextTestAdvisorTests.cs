using ClinicianPortal.Shared.Inference.Models;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Tests.Inference;
using static ClinicianPortal.Tests.Reasoning.Differential.Cases;

namespace ClinicianPortal.Tests.Reasoning.Differential;

/// <summary>Next tests ranked by expected information gain, on a small knowledge base built for it and on the shipped one.</summary>
public sealed class NextTestAdvisorTests(DifferentialFixture fixture) : IClassFixture<DifferentialFixture>
{
    private static Finding Lab(string id, string loinc) => new()
    {
        Id = id, Name = id, Kind = FindingKind.Lab,
        Detection = new Detection { Observations = [new ObservationCriterion { Loinc = [loinc], Comparator = "=", Value = "positive" }] },
    };

    private static Condition Condition(string id, double prevalence, params ConditionFinding[] findings) => new()
    {
        Id = id, Name = id, System = "test", Codes = new Codes { Icd10 = ["R69"] },
        Prevalence = new Prevalence { Emergency = prevalence, Inpatient = prevalence, PrimaryCare = prevalence, Source = "estimate" },
        Findings = findings,
        Tests = [new RecommendedTest { Test = "separating-test", Distinguishes = id + " vs the rest" }, new RecommendedTest { Test = "shared-test", Distinguishes = "both" }],
        References = ["ref"],
    };

    private static ConditionFinding Weight(string finding, double lrPositive, double lrNegative) =>
        new() { Finding = finding, LrPositive = lrPositive, LrNegative = lrNegative, Effect = lrPositive >= 1 ? FindingEffect.Supports : FindingEffect.Refutes, Source = "estimate" };

    /// <summary>
    /// Alpha and beta lead equally on a shared finding. The separating test settles x (strongly for alpha,
    /// against beta); the shared test settles y, which both conditions share with the same weights.
    /// </summary>
    private static KnowledgeBase TwoLeaders() => new(
        [
            Condition("alpha", 100, Weight("common", 5, 0.3), Weight("x", 10, 0.1), Weight("y", 3, 0.3)),
            Condition("beta", 100, Weight("common", 5, 0.3), Weight("x", 0.1, 1.5), Weight("y", 3, 0.3)),
            Condition("gamma", 50, Weight("common", 1.2, 0.9), Weight("x", 1.2, 0.9), Weight("y", 1.2, 0.9)),
        ],
        [Lab("common", "1000-1"), Lab("x", "2000-2"), Lab("y", "3000-3")],
        [
            new DiagnosticTest { Id = "separating-test", Name = "Separating test", Loinc = ["2000-2"], RulesIn = "alpha", RulesOut = "alpha" },
            new DiagnosticTest { Id = "shared-test", Name = "Shared test", Loinc = ["3000-3"], RulesIn = "nothing", RulesOut = "nothing" },
        ],
        [new ClinicianPortal.Shared.Knowledge.Reference { Id = "ref", Title = "t", Source = "s", Year = 2020, Url = "https://example.org" }]);

    [Fact]
    public void A_test_that_separates_the_two_leaders_ranks_above_one_that_does_not()
    {
        using var folder = new ModelFolder();
        using var registry = new ModelRegistry(fixture.Runtime, folder.Path);
        var kb = TwoLeaders();
        DifferentialModelInstaller.EnsureInstalled(kb, registry, topK: 2);
        var engine = new DifferentialEngine(DifferentialSpec.From(kb, topK: 2), registry);

        var result = engine.Evaluate(Of(Present("common", "obs-1")));

        Assert.Equal(["alpha", "beta"], result.Candidates.Select(c => c.ConditionId).Order());
        Assert.Equal(["separating-test", "shared-test"], result.NextTests.Select(t => t.TestId));
        var separating = result.NextTests[0];
        Assert.True(separating.ExpectedInformationGain > 0.3, $"gain {separating.ExpectedInformationGain:F3} bits");
        Assert.True(result.NextTests[1].ExpectedInformationGain < separating.ExpectedInformationGain / 3);
        Assert.Equal(["x"], separating.Determines);
        Assert.Contains(separating.Distinguishes, p => p.ConditionId == "alpha" && p.Distinguishes == "alpha vs the rest");
    }

    [Fact]
    public void A_test_whose_findings_are_already_known_is_not_suggested()
    {
        using var folder = new ModelFolder();
        using var registry = new ModelRegistry(fixture.Runtime, folder.Path);
        var kb = TwoLeaders();
        DifferentialModelInstaller.EnsureInstalled(kb, registry, topK: 2);
        var engine = new DifferentialEngine(DifferentialSpec.From(kb, topK: 2), registry);

        var result = engine.Evaluate(Of(Present("common"), Absent("x", "obs-x")));

        Assert.Equal(["shared-test"], result.NextTests.Select(t => t.TestId));
    }

    [Fact]
    public void Information_gain_is_zero_when_the_posterior_is_certain_and_at_most_the_entropy_otherwise()
    {
        var spec = DifferentialSpec.From(TwoLeaders());
        var advisor = new NextTestAdvisor(spec);
        int x = spec.FindingIndex("x");

        Assert.Equal(0, advisor.ExpectedInformationGain([1.0, 0, 0], [x]), 9);
        var gain = advisor.ExpectedInformationGain([0.5, 0.5, 0], [x]);
        Assert.InRange(gain, 0.3, 1.0); // one bit of uncertainty at most
    }

    [Fact]
    public void On_the_shipped_knowledge_base_suspected_pe_suggests_ddimer_among_tests_that_settle_only_unknown_findings()
    {
        var result = fixture.Engine.Evaluate(Of(
            Present("pleuritic-chest-pain", "note-1"), Present("tachycardia", "obs-hr"), Present("sudden-dyspnoea", "note-1"),
            Present("recent-surgery-or-immobilisation", "proc-1")),
            new DifferentialOptions { NextTests = 50 });

        var ddimer = Assert.Single(result.NextTests, t => t.TestId == "ddimer");
        Assert.Equal(["ddimer-elevated"], ddimer.Determines);
        Assert.Contains(ddimer.Distinguishes, p => p.ConditionId == "pulmonary-embolism");
        Assert.All(result.NextTests, t =>
        {
            Assert.True(t.ExpectedInformationGain > 0);
            Assert.NotEmpty(t.Determines);
            Assert.All(t.Determines, f => Assert.DoesNotContain(f, new[] { "pleuritic-chest-pain", "tachycardia", "sudden-dyspnoea" }));
        });
        Assert.Equal(result.NextTests.OrderByDescending(t => t.ExpectedInformationGain).Select(t => t.TestId), result.NextTests.Select(t => t.TestId));
    }
}
