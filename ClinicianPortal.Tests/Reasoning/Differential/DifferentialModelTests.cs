using System.Security.Cryptography;
using ClinicianPortal.Shared.Inference;
using ClinicianPortal.Shared.Inference.Models;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Shared.Reasoning.Findings;
using ClinicianPortal.Tests.Inference;

namespace ClinicianPortal.Tests.Reasoning.Differential;

/// <summary>The compiled model (run by ONNX Runtime through the registry) against a C# computation straight from the knowledge base.</summary>
public sealed class DifferentialModelTests(DifferentialFixture fixture) : IClassFixture<DifferentialFixture>
{
    private const double Tolerance = 1e-5;
    private readonly Random _random = new();

    private ModelResult RunModel(IReadOnlyList<FindingSet> cases, IReadOnlyList<CareSetting> settings)
    {
        var spec = fixture.Spec;
        int n = cases.Count, f = spec.Findings.Count;
        var present = new float[n * f];
        var absent = new float[n * f];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < f; i++)
            {
                var state = cases[r].StateOf(spec.Findings[i].Id);
                if (state == FindingState.Present) present[r * f + i] = 1;
                if (state == FindingState.Absent) absent[r * f + i] = 1;
            }
        return fixture.Registry.Run(DifferentialSpec.ModelId,
        [
            new NamedTensor("present", DenseTensor.FromFloats(present, n, f)),
            new NamedTensor("absent", DenseTensor.FromFloats(absent, n, f)),
            new NamedTensor("setting", DenseTensor.FromInt64s([.. settings.Select(s => (long)s)], n)),
        ]);
    }

    private void AssertMatchesReference(IReadOnlyList<FindingSet> cases, IReadOnlyList<CareSetting> settings)
    {
        var result = RunModel(cases, settings);
        int c = fixture.Spec.Conditions.Count, k = fixture.Spec.TopK;
        var logits = result.Output("logits").AsFloats();
        var probabilities = result.Output("probabilities").AsFloats();
        var topValues = result.Output("top_probabilities").AsFloats();
        var topIndices = result.Output("top_indices").AsInt64s();
        Assert.Equal(cases.Count * c, probabilities.Length);
        double worstLogit = 0, worstProbability = 0;
        for (int r = 0; r < cases.Count; r++)
        {
            var expectedLogits = DifferentialReference.Logits(fixture.Knowledge, fixture.Spec, cases[r], settings[r]);
            var expected = DifferentialReference.Softmax(expectedLogits);
            for (int j = 0; j < c; j++)
            {
                worstLogit = Math.Max(worstLogit, Math.Abs(expectedLogits[j] - logits[r * c + j]));
                worstProbability = Math.Max(worstProbability, Math.Abs(expected[j] - probabilities[r * c + j]));
            }
            var expectedTop = Enumerable.Range(0, c).OrderByDescending(j => expected[j]).Take(k).ToArray();
            for (int t = 0; t < k; t++)
            {
                Assert.True(Math.Abs(expected[expectedTop[t]] - topValues[r * k + t]) < Tolerance, $"row {r}, rank {t}: top probability differs");
                // Ties within float precision may swap places; the value at the returned index must then be the same.
                Assert.True(Math.Abs(expected[topIndices[r * k + t]] - expected[expectedTop[t]]) < Tolerance, $"row {r}, rank {t}: index {topIndices[r * k + t]} vs {expectedTop[t]}");
            }
        }
        Assert.True(worstLogit < Tolerance, $"max |Δ logit| = {worstLogit:E2}");
        Assert.True(worstProbability < Tolerance, $"max |Δ probability| = {worstProbability:E2}");
    }

    [Fact]
    public void Model_output_matches_the_reference_for_a_single_random_case()
    {
        AssertMatchesReference([Cases.Random(_random, fixture.Spec, present: 0.1, absent: 0.1)], [CareSetting.Emergency]);
    }

    [Fact]
    public void Model_output_matches_the_reference_for_a_batch_of_random_cases_in_every_setting()
    {
        var cases = Enumerable.Range(0, 48).Select(_ => Cases.Random(_random, fixture.Spec, _random.NextDouble() * 0.2, _random.NextDouble() * 0.2)).ToList();
        var settings = cases.Select((_, i) => (CareSetting)(i % 3)).ToList();
        AssertMatchesReference(cases, settings);
    }

    [Fact]
    public void With_no_findings_the_model_gives_the_priors_of_the_setting()
    {
        var result = RunModel([Cases.Of(), Cases.Of()], [CareSetting.Emergency, CareSetting.PrimaryCare]);
        var logits = result.Output("logits").AsFloats();
        int c = fixture.Spec.Conditions.Count;
        var pe = fixture.Spec.ConditionIndex("pulmonary-embolism");
        Assert.Equal(Math.Log(0.004 / 0.996), logits[pe], 5);
        Assert.Equal(Math.Log(0.0002 / 0.9998), logits[c + pe], 5);
    }

    [Fact]
    public void Model_is_the_knowledge_base_size_and_declares_it_in_its_manifest()
    {
        var spec = fixture.Spec;
        Assert.Equal(fixture.Knowledge.Conditions.Count, spec.Conditions.Count);
        Assert.Equal(fixture.Knowledge.Findings.Count, spec.Findings.Count); // the validator allows no orphan findings
        var manifest = fixture.Registry.Manifest(DifferentialSpec.ModelId);
        Assert.Equal([-1, spec.Findings.Count], manifest.Inputs.Single(i => i.Name == "present").Shape);
        Assert.Equal([-1, spec.Conditions.Count], manifest.Outputs.Single(o => o.Name == "probabilities").Shape);
        Assert.Equal([-1, spec.TopK], manifest.Outputs.Single(o => o.Name == "top_indices").Shape);
        Assert.Equal("differential-diagnosis", manifest.Task);
        Assert.Contains(spec.KnowledgeSha256, manifest.Source, StringComparison.Ordinal);
        Assert.Contains(DifferentialSpec.CompilerVersion, manifest.Source, StringComparison.Ordinal);
        Assert.Contains(manifest.Limitations, l => l.Contains("independent", StringComparison.Ordinal));
        Assert.Contains(manifest.Limitations, l => l.Contains("exactly one", StringComparison.Ordinal));
        Assert.Contains(manifest.Limitations, l => l.Contains("estimate", StringComparison.Ordinal));
        Assert.NotEmpty(manifest.OutOfScopeUses);
        Assert.NotEmpty(manifest.IntendedUse);
    }

    [Fact]
    public void Same_knowledge_base_compiles_to_byte_identical_models_whatever_the_file_order()
    {
        var kb = fixture.Knowledge;
        var shuffled = new KnowledgeBase(kb.Conditions.Reverse(), kb.Findings.Reverse(), kb.Tests.Reverse(), kb.References.Reverse());

        var first = DifferentialCompiler.Compile(kb);
        var second = DifferentialCompiler.Compile(KnowledgeBase.LoadEmbedded());
        var third = DifferentialCompiler.Compile(shuffled);

        Assert.Equal(first.Model, second.Model);
        Assert.Equal(first.Model, third.Model);
        Assert.Equal(first.Manifest.ToJson(), third.Manifest.ToJson());
    }

    [Fact]
    public void Manifest_hash_is_the_hash_of_the_installed_file_and_the_registry_serves_that_file()
    {
        var path = Path.Combine(fixture.Folder.Path, fixture.Manifest.File);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), fixture.Manifest.Sha256);
        var status = fixture.Registry.Status(DifferentialSpec.ModelId)!;
        Assert.Equal(ModelState.Available, status.State);
        Assert.Equal(fixture.Manifest.Sha256, status.Sha256);
        Assert.Equal(fixture.Spec.Version, status.Version);
    }

    [Fact]
    public void A_change_to_the_knowledge_base_changes_the_version_and_the_model()
    {
        var kb = fixture.Knowledge;
        var changed = new KnowledgeBase(
            kb.Conditions.Select(c => c.Id == "pulmonary-embolism" ? c with { Prevalence = c.Prevalence with { Emergency = 5 } } : c),
            kb.Findings, kb.Tests, kb.References);
        var renamedTest = new KnowledgeBase(kb.Conditions, kb.Findings,
            kb.Tests.Select(t => t.Id == "ctpa" ? t with { Name = t.Name + " (CTPA)" } : t), kb.References);

        var before = DifferentialCompiler.Compile(kb);
        var after = DifferentialCompiler.Compile(changed);

        Assert.NotEqual(before.Manifest.Version, after.Manifest.Version);
        Assert.NotEqual(before.Manifest.Sha256, after.Manifest.Sha256);
        Assert.NotEqual(before.Manifest.File, after.Manifest.File);
        // The next-test advice reads the test catalogue, so any KB change is a new version, even one the weights do not see.
        Assert.NotEqual(before.Manifest.Version, DifferentialSpec.From(renamedTest).Version);
    }

    [Fact]
    public void Installing_again_leaves_the_current_model_alone_and_a_new_knowledge_base_replaces_the_old_model()
    {
        using var folder = new ModelFolder();
        using var registry = new ModelRegistry(fixture.Runtime, folder.Path);
        var kb = fixture.Knowledge;
        var spec = DifferentialSpec.From(kb);

        var (first, written) = DifferentialModelInstaller.Install(spec, folder.Path);
        var (_, writtenAgain) = DifferentialModelInstaller.Install(spec, folder.Path);
        Assert.True(written);
        Assert.False(writtenAgain);

        var changed = new KnowledgeBase(
            kb.Conditions.Select(c => c.Id == "diabetic-ketoacidosis" ? c with { CantMiss = false } : c), kb.Findings, kb.Tests, kb.References);
        var newer = DifferentialModelInstaller.EnsureInstalled(changed, registry);

        Assert.NotEqual(first.Version, newer.Version);
        Assert.Equal([newer.File], Directory.GetFiles(folder.Path, "*.onnx").Select(Path.GetFileName));
        Assert.Single(Directory.GetFiles(folder.Path, "*.json"));
        Assert.Equal(newer.Version, registry.Status(DifferentialSpec.ModelId)!.Version);
    }

    [Fact]
    public void Start_up_replaces_a_damaged_model_file_and_the_registry_serves_the_rebuilt_one()
    {
        using var folder = new ModelFolder();
        var spec = DifferentialSpec.From(fixture.Knowledge);
        var (manifest, _) = DifferentialModelInstaller.Install(spec, folder.Path);
        var path = Path.Combine(folder.Path, manifest.File);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        using var registry = new ModelRegistry(fixture.Runtime, folder.Path);
        Assert.NotEqual(ModelState.Available, registry.Status(DifferentialSpec.ModelId)?.State);

        var engine = DifferentialModelInstaller.CreateEngine(fixture.Knowledge, registry);

        Assert.Equal(ModelState.Available, registry.Status(DifferentialSpec.ModelId)!.State);
        Assert.Equal(manifest.Sha256, engine.Evaluate(Cases.Of(Cases.Present("fever"))).ModelSha256);
    }

    [Fact]
    public void Engine_refuses_a_served_model_compiled_from_another_knowledge_base()
    {
        using var folder = new ModelFolder();
        using var registry = new ModelRegistry(fixture.Runtime, folder.Path);
        var kb = fixture.Knowledge;
        var other = new KnowledgeBase(
            kb.Conditions.Select(c => c.Id == "pulmonary-embolism" ? c with { Prevalence = c.Prevalence with { Emergency = 6 } } : c),
            kb.Findings, kb.Tests, kb.References);
        DifferentialModelInstaller.EnsureInstalled(other, registry);
        var engine = new DifferentialEngine(fixture.Spec, registry);

        var e = Assert.Throws<ModelUnavailableException>(() => engine.Evaluate(Cases.Of(Cases.Present("fever"))));

        Assert.Contains(fixture.Spec.Version, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Engine_without_an_installed_model_says_so()
    {
        using var folder = new ModelFolder();
        using var registry = new ModelRegistry(fixture.Runtime, folder.Path);
        var engine = new DifferentialEngine(fixture.Spec, registry);

        var e = Assert.Throws<ModelUnavailableException>(() => engine.Evaluate(Cases.Of()));

        Assert.Contains("differential-kb", e.Message, StringComparison.Ordinal);
    }
}
