using ClinicianPortal.Shared.Inference;
using ClinicianPortal.Shared.Inference.Models;
using ClinicianPortal.Shared.Inference.OnnxRuntime;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Shared.Reasoning.Evaluation;
using ClinicianPortal.Shared.Reasoning.Findings;
using ClinicianPortal.Tests.Inference;
using ClinicianPortal.Tests.Infrastructure;

namespace ClinicianPortal.Tests.Reasoning.Evaluation;

/// <summary>
/// DDXPlus's own knowledge base (../shared/data/ddxplus) converted, compiled and served by the real ONNX Runtime,
/// with weights estimated on the even rows of the patient subset; the odd rows are the held-out slice.
/// </summary>
public sealed class DdxPlusFixture : IDisposable
{
    public DdxPlusFixture()
    {
        Conditions = DdxPlusData.ReadConditions(TestEnvironment.SharedData("ddxplus", DdxPlusData.ConditionsFile));
        Evidences = DdxPlusData.ReadEvidences(TestEnvironment.SharedData("ddxplus", DdxPlusData.EvidencesFile));
        Patients = DdxPlusData.ReadPatients(TestEnvironment.SharedData("ddxplus", "release_test_patients_mini_version.csv"));
        (Estimation, HeldOut) = DdxPlusKnowledge.Split(Patients);
        Knowledge = DdxPlusKnowledge.Build(Conditions, Evidences, Estimation);
        var options = new InferenceOptions { IntraOpThreads = 1 };
        options.ExecutionProviders.Add(ExecutionProvider.Cpu);
        Runtime = new OrtRuntime(options);
        Registry = new ModelRegistry(Runtime, Folder.Path);
        Engine = DifferentialModelInstaller.CreateEngine(Knowledge, Registry);
    }

    public IReadOnlyList<DdxPlusCondition> Conditions { get; }
    public IReadOnlyList<DdxPlusEvidence> Evidences { get; }
    public IReadOnlyList<DdxPlusPatient> Patients { get; }
    public IReadOnlyList<DdxPlusPatient> Estimation { get; }
    public IReadOnlyList<DdxPlusPatient> HeldOut { get; }
    public KnowledgeBase Knowledge { get; }
    public OrtRuntime Runtime { get; }
    public ModelFolder Folder { get; } = new();
    public ModelRegistry Registry { get; }
    public DifferentialEngine Engine { get; }

    public List<EvaluationCase> Cases(IEnumerable<DdxPlusPatient> patients) =>
        [.. patients.Select(p => new EvaluationCase($"row-{p.Row}", p.Pathology, DdxPlusKnowledge.FindingsOf(p, Knowledge), p.Differential))];

    public void Dispose()
    {
        Registry.Dispose();
        Runtime.Dispose();
        Folder.Dispose();
    }
}

public sealed class DdxPlusKnowledgeTests(DdxPlusFixture ddx) : IClassFixture<DdxPlusFixture>
{
    [Fact]
    public void The_patient_subset_reads_completely_with_every_pathology_and_its_differential()
    {
        Assert.Equal(2_611, ddx.Patients.Count);
        Assert.Equal(49, ddx.Patients.Select(p => p.Pathology).Distinct().Count());
        Assert.All(ddx.Patients, p => Assert.NotEmpty(p.Evidences));
        Assert.All(ddx.Patients, p => Assert.Contains(p.Differential, d => d.Probability > 0 && d.Probability <= 1));
        var first = ddx.Patients[0];
        Assert.Equal((8, "M", "Pneumonia"), (first.Age, first.Sex, first.Pathology));
        Assert.Contains("E_54_@_V_179", first.Evidences);
        Assert.Equal(("Pneumonia", 0.09872966099247019), first.Differential[0]);
    }

    [Fact]
    public void The_split_is_deterministic_disjoint_and_complete()
    {
        var (estimation, heldOut) = DdxPlusKnowledge.Split(ddx.Patients);

        Assert.Equal(ddx.Estimation.Select(p => p.Row), estimation.Select(p => p.Row));
        Assert.Empty(estimation.Select(p => p.Row).Intersect(heldOut.Select(p => p.Row)));
        Assert.Equal(ddx.Patients.Count, estimation.Count + heldOut.Count);
    }

    [Fact]
    public void Conversion_gives_49_conditions_and_one_finding_per_binary_evidence_or_per_value()
    {
        var kb = ddx.Knowledge;

        Assert.Equal(49, kb.Conditions.Count);
        Assert.Equal(ddx.Evidences.Sum(e => e.DataType == "B" ? 1 : e.Values.Count), kb.Findings.Count);
        Assert.NotNull(kb.Finding("ddxplus-e-91"));                  // fever, binary
        Assert.NotNull(kb.Finding("ddxplus-e-55-v-123"));            // pain location, one finding per value
        Assert.NotNull(kb.Finding("ddxplus-e-56-7"));                // pain intensity 7
        // Every evidence item of every patient is a finding of the converted KB.
        Assert.All(ddx.Patients.SelectMany(p => p.Evidences).Distinct(), item => Assert.NotNull(kb.Finding(DdxPlusKnowledge.FindingId(item))));
        // A condition weighs exactly the findings of the evidences DDXPlus lists for it.
        var pneumothorax = kb.FindByName("Spontaneous pneumothorax")!;
        var listed = ddx.Conditions.Single(c => c.Name == "Spontaneous pneumothorax").Evidences;
        Assert.Equal(listed.Order(), pneumothorax.Findings.Select(f => f.Finding).Select(CodeOf).Distinct().Order());
        Assert.Equal("J93", Assert.Single(pneumothorax.Codes.Icd10));
    }

    [Fact]
    public void Weights_are_counted_on_the_estimation_patients_and_fall_back_to_the_stated_defaults_without_data()
    {
        var fever = ddx.Knowledge.FindByName("Influenza")!.Findings.Single(f => f.Finding == "ddxplus-e-91");
        int n = ddx.Estimation.Count(p => p.Pathology == "Influenza"), k = ddx.Estimation.Count(p => p.Pathology == "Influenza" && p.Evidences.Contains("E_91"));
        int others = ddx.Estimation.Count - n, kOthers = ddx.Estimation.Count(p => p.Pathology != "Influenza" && p.Evidences.Contains("E_91"));
        double se = (k + 2 * 0.5) / (n + 2), fpr = (kOthers + 0.05) / (others + 1.0);
        Assert.Equal(se / fpr, fever.PositiveLikelihoodRatio!.Value, 9);
        Assert.Equal((1 - se) / (1 - fpr), fever.NegativeLikelihoodRatio!.Value, 9);

        var noData = DdxPlusKnowledge.Build(ddx.Conditions, ddx.Evidences, []);
        var defaults = noData.FindByName("Influenza")!.Findings.Single(f => f.Finding == "ddxplus-e-91");
        Assert.Equal(DdxPlusKnowledge.DefaultSensitivity / DdxPlusKnowledge.DefaultFalsePositiveRate, defaults.PositiveLikelihoodRatio!.Value, 9);
        Assert.Equal(1000.0 / 49, noData.Conditions[0].Prevalence.Emergency, 9);
    }

    [Fact]
    public void The_held_out_patients_do_not_change_the_weights()
    {
        var again = DdxPlusKnowledge.Build(ddx.Conditions, ddx.Evidences, ddx.Estimation);
        var withHeldOut = DdxPlusKnowledge.Build(ddx.Conditions, ddx.Evidences, ddx.Patients);

        Assert.Equal(DifferentialSpec.From(ddx.Knowledge).Version, DifferentialSpec.From(again).Version);
        Assert.NotEqual(DifferentialSpec.From(ddx.Knowledge).Version, DifferentialSpec.From(withHeldOut).Version);
    }

    [Fact]
    public void The_converted_KB_compiles_and_runs_through_ONNX_Runtime()
    {
        var patients = ddx.HeldOut.Take(3).ToList();

        var results = ddx.Engine.EvaluateBatch([.. patients.Select(p => DdxPlusKnowledge.FindingsOf(p, ddx.Knowledge))], new DifferentialOptions { NextTests = 0 });

        Assert.Equal(DifferentialSpec.ModelId, ddx.Registry.Manifest(DifferentialSpec.ModelId).Id);
        Assert.All(results, r =>
        {
            Assert.Equal(DifferentialSpec.DefaultTopK, r.Candidates.Count(c => c.InTopK));
            Assert.Empty(r.IgnoredFindings);
            Assert.InRange(r.Candidates.Sum(c => c.Probability), 0.5, 1.0001);
            Assert.Contains(r.Candidates[0].Supporting, s => s.FindingId.StartsWith("ddxplus-", StringComparison.Ordinal));
        });
        // All evidences at once: every finding is known, present or absent.
        var set = DdxPlusKnowledge.FindingsOf(patients[0], ddx.Knowledge);
        Assert.Equal(ddx.Knowledge.Findings.Count, set.Findings.Count);
        Assert.Equal(patients[0].Evidences.Distinct().Count(), set.Findings.Count(f => f.State == FindingState.Present));
    }

    [Fact]
    public void On_the_held_out_slice_the_engine_beats_the_prior_only_baseline()
    {
        var cases = ddx.Cases(ddx.HeldOut);

        var engine = Evaluator.Score("ddxplus", ddx.Engine, ddx.Knowledge, cases, CareSetting.Emergency);
        var prior = Evaluator.PriorOnly("ddxplus", ddx.Knowledge, cases, CareSetting.Emergency);

        Assert.Equal(0, engine.Unmatched);
        Assert.True(RankingMetrics.TopKAccuracy(engine.Cases, 1) > RankingMetrics.TopKAccuracy(prior.Cases, 1),
            $"engine top-1 {RankingMetrics.TopKAccuracy(engine.Cases, 1):F1} vs prior only {RankingMetrics.TopKAccuracy(prior.Cases, 1):F1}");
        Assert.True(RankingMetrics.TopKAccuracy(engine.Cases, 3) > RankingMetrics.TopKAccuracy(prior.Cases, 3));
    }

    private static string CodeOf(string findingId)
    {
        // ddxplus-e-55-v-123 → E_55; ddxplus-e-56-7 → E_56; ddxplus-e-91 → E_91
        var parts = findingId["ddxplus-".Length..].Split('-');
        return $"E_{parts[1]}";
    }
}
