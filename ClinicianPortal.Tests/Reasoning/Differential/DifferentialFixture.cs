using ClinicianPortal.Shared.Inference;
using ClinicianPortal.Shared.Inference.Models;
using ClinicianPortal.Shared.Inference.OnnxRuntime;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Shared.Reasoning.Findings;
using ClinicianPortal.Tests.Inference;

namespace ClinicianPortal.Tests.Reasoning.Differential;

/// <summary>
/// The shipped knowledge base compiled and installed into a temporary models folder, served by a real
/// model registry on the real ONNX Runtime (CPU), with an engine over it: the path the app takes.
/// </summary>
public sealed class DifferentialFixture : IDisposable
{
    public DifferentialFixture()
    {
        var options = new InferenceOptions { IntraOpThreads = 1 };
        options.ExecutionProviders.Add(ExecutionProvider.Cpu);
        Runtime = new OrtRuntime(options);
        Knowledge = KnowledgeBase.LoadEmbedded();
        Registry = new ModelRegistry(Runtime, Folder.Path);
        Engine = DifferentialModelInstaller.CreateEngine(Knowledge, Registry);
        Manifest = Registry.Manifest(DifferentialSpec.ModelId);
    }

    public OrtRuntime Runtime { get; }
    public ModelFolder Folder { get; } = new();
    public KnowledgeBase Knowledge { get; }
    public ModelRegistry Registry { get; }
    public ModelManifest Manifest { get; }
    public DifferentialEngine Engine { get; }
    public DifferentialSpec Spec => Engine.Spec;

    public void Dispose()
    {
        Registry.Dispose();
        Runtime.Dispose();
        Folder.Dispose();
    }
}

/// <summary>Hand-made finding sets, as the finding extractor would produce them.</summary>
internal static class Cases
{
    public static readonly DateTimeOffset AsOf = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    public static ExtractedFinding Present(string id, params string[] eventIds) =>
        new(id, FindingState.Present, [.. eventIds.Select(e => new FindingCitation(e, $"{id} in {e}"))], $"{id} shown");

    public static ExtractedFinding Absent(string id, params string[] eventIds) =>
        new(id, FindingState.Absent, [.. eventIds.Select(e => new FindingCitation(e, $"no {id} in {e}"))], $"{id} excluded");

    public static FindingSet Of(params ExtractedFinding[] findings) => new("patient-test", AsOf, findings);

    public static FindingSet Random(Random random, DifferentialSpec spec, double present = 0.05, double absent = 0.05)
    {
        var findings = new List<ExtractedFinding>();
        foreach (var f in spec.Findings)
        {
            var u = random.NextDouble();
            if (u < present) findings.Add(Present(f.Id, "event-" + f.Id));
            else if (u < present + absent) findings.Add(Absent(f.Id));
        }
        return new FindingSet("patient-random", AsOf, findings);
    }
}

/// <summary>
/// The differential computed in C# straight from the knowledge base (double precision): the yardstick the
/// ONNX model is checked against. Tests only; production always runs the model.
/// </summary>
internal static class DifferentialReference
{
    public static double[] Logits(KnowledgeBase kb, DifferentialSpec spec, FindingSet findings, CareSetting setting)
    {
        var logits = new double[spec.Conditions.Count];
        for (int j = 0; j < logits.Length; j++)
        {
            var condition = kb.Condition(spec.Conditions[j].Id)!;
            var p = condition.Prevalence.Probability(setting);
            double logit = Math.Log(p / (1 - p));
            foreach (var cf in condition.Findings)
            {
                var state = findings.StateOf(cf.Finding);
                if (state == FindingState.Present) logit += Math.Log(cf.PositiveLikelihoodRatio!.Value);
                else if (state == FindingState.Absent) logit += Math.Log(cf.NegativeLikelihoodRatio!.Value);
            }
            logits[j] = logit;
        }
        return logits;
    }

    public static double[] Softmax(double[] logits)
    {
        var max = logits.Max();
        var e = logits.Select(x => Math.Exp(x - max)).ToArray();
        var sum = e.Sum();
        return [.. e.Select(x => x / sum)];
    }
}
