using System.Security.Cryptography;
using ClinicianPortal.Shared.Inference;
using ClinicianPortal.Shared.Inference.Models;
using ClinicianPortal.Shared.Inference.Onnx;
using ClinicianPortal.Shared.Knowledge;

namespace ClinicianPortal.Shared.Reasoning.Differential;

/// <summary>An ONNX model compiled from the knowledge base, with its manifest (model card).</summary>
public sealed record CompiledDifferential(DifferentialSpec Spec, byte[] Model, ModelManifest Manifest);

/// <summary>
/// Compiles a knowledge base into the differential ONNX model:
/// logits = prior[setting] + present · W+ + absent · W−, probabilities = softmax(logits), and the top k.
/// Inputs: `present`, `absent` (float [batch, F], 1 where the finding is present / known absent) and
/// `setting` (int64 [batch], 0 emergency, 1 inpatient, 2 primary care). Outputs: `logits` and
/// `probabilities` (float [batch, C]), `top_probabilities` (float [batch, k]), `top_indices` (int64 [batch, k]).
/// The same knowledge base always gives byte-identical bytes.
/// </summary>
public static class DifferentialCompiler
{
    public const string Present = "present";
    public const string Absent = "absent";
    public const string Setting = "setting";
    public const string Logits = "logits";
    public const string Probabilities = "probabilities";
    public const string TopProbabilities = "top_probabilities";
    public const string TopIndices = "top_indices";

    /// <summary>Where the shipped knowledge base comes from, for the manifest's compilation source.</summary>
    public const string EmbeddedSource = "Shared/Knowledge/Data/**/*.json (embedded in ClinicianPortal.Shared)";

    public static CompiledDifferential Compile(KnowledgeBase kb, int topK = DifferentialSpec.DefaultTopK, string knowledgeSource = EmbeddedSource) =>
        Compile(DifferentialSpec.From(kb, topK), knowledgeSource);

    public static CompiledDifferential Compile(DifferentialSpec spec, string knowledgeSource = EmbeddedSource)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int f = spec.Findings.Count, c = spec.Conditions.Count, s = Enum.GetValues<CareSetting>().Length;
        var g = new GraphBuilder(DifferentialSpec.ModelId)
            .Metadata("id", DifferentialSpec.ModelId)
            .Metadata("version", spec.Version)
            .Metadata("knowledge_sha256", spec.KnowledgeSha256);
        var present = g.Input(Present, TensorElementType.Float, -1, f);
        var absent = g.Input(Absent, TensorElementType.Float, -1, f);
        var setting = g.Input(Setting, TensorElementType.Int64, -1);
        var prior = g.Gather(g.Initializer("prior_log_odds", spec.PriorLogOdds, s, c), setting, axis: 0);
        var forPresent = g.MatMul(present, g.Initializer("ln_lr_positive", spec.PositiveWeights, f, c));
        var forAbsent = g.MatMul(absent, g.Initializer("ln_lr_negative", spec.NegativeWeights, f, c));
        var logits = g.Add(g.Add(prior, forPresent), forAbsent, Logits);
        var probabilities = g.Softmax(logits, -1, Probabilities);
        var (top, indices) = g.TopK(probabilities, spec.TopK, -1, TopProbabilities, TopIndices);
        g.Output(logits, TensorElementType.Float, -1, c)
            .Output(probabilities, TensorElementType.Float, -1, c)
            .Output(top, TensorElementType.Float, -1, spec.TopK)
            .Output(indices, TensorElementType.Int64, -1, spec.TopK);
        var bytes = g.ToBytes();
        return new CompiledDifferential(spec, bytes, ManifestFor(spec, bytes, knowledgeSource));
    }

    private static ModelManifest ManifestFor(DifferentialSpec spec, byte[] model, string knowledgeSource)
    {
        int f = spec.Findings.Count, c = spec.Conditions.Count;
        int estimated = spec.Conditions.Sum(x => x.Findings.Count(cf => cf.IsEstimate));
        int weights = spec.Conditions.Sum(x => x.Findings.Count);
        return new ModelManifest
        {
            Id = DifferentialSpec.ModelId,
            Version = spec.Version,
            Task = DifferentialSpec.Task,
            File = spec.FileName,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(model)),
            Inputs =
            [
                new ManifestTensor(Present, TensorElementType.Float, [-1, f]),
                new ManifestTensor(Absent, TensorElementType.Float, [-1, f]),
                new ManifestTensor(Setting, TensorElementType.Int64, [-1]),
            ],
            Outputs =
            [
                new ManifestTensor(Logits, TensorElementType.Float, [-1, c]),
                new ManifestTensor(Probabilities, TensorElementType.Float, [-1, c]),
                new ManifestTensor(TopProbabilities, TensorElementType.Float, [-1, spec.TopK]),
                new ManifestTensor(TopIndices, TensorElementType.Int64, [-1, spec.TopK]),
            ],
            Source = $"Compiled (not trained) by ClinicianPortal.Shared.Reasoning.Differential.DifferentialCompiler {DifferentialSpec.CompilerVersion} "
                + $"from the knowledge base {knowledgeSource}, canonical JSON sha256 {spec.KnowledgeSha256}: "
                + $"{f} findings × {c} conditions (sorted by id), W+ = ln LR+, W− = ln LR− (derived from sensitivity/specificity where the KB gives those"
                + (spec.EstimateWeight == 1 ? "), " : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"; curator-estimated entries multiplied by {spec.EstimateWeight}), "))
                + "prior = ln(p / (1 − p)) with p = prevalence per 1,000 encounters / 1,000 for the care setting (input `setting`: 0 emergency, 1 inpatient, 2 primary care), "
                + $"logits = prior + present · W+ + absent · W−, softmax, top {spec.TopK}. Rebuild: DifferentialCompiler.Compile(DifferentialSpec.From(KnowledgeBase.LoadEmbedded(), "
                + string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{spec.TopK}, {spec.EstimateWeight})))."),
            IntendedUse = "Ranks the knowledge base's conditions for an adult acute or primary-care encounter from the findings extracted from the record, "
                + "to remind a clinician of diagnoses to consider (including can't-miss ones) and of the tests that would separate them. "
                + "A clinician reviews every suggestion; each comes with the findings and chart entries behind it.",
            OutOfScopeUses =
            [
                "Making or excluding a diagnosis without a clinician's judgement",
                "Children, pregnancy-specific conditions beyond those in the knowledge base, and conditions not in the knowledge base (the model can only rank what it lists)",
                "Triage or prioritising patients by the probabilities",
                "Reporting the probabilities to patients as their risk",
            ],
            Limitations =
            [
                $"Likelihood ratios are mostly curator estimates: {estimated} of {weights} weights are estimates, the rest published values.",
                "Findings are assumed independent given the condition (naive Bayes): correlated findings (e.g. fever and leukocytosis) are counted twice and overstate certainty.",
                "Softmax assumes exactly one of the listed conditions explains the presentation: co-existing diagnoses share probability, and a condition outside the knowledge base still gets its probability spread over the listed ones.",
                "Priors are curator estimates of how often each condition is the diagnosis in a care setting, not local epidemiology.",
                "A finding's absence counts only when the record shows it absent; unknown findings contribute nothing, so a sparse record leaves the priors dominant.",
            ],
        };
    }
}
