using ClinicianPortal.Shared.Inference;
using ClinicianPortal.Shared.Inference.Models;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Findings;

namespace ClinicianPortal.Shared.Reasoning.Differential;

/// <summary>
/// Ranks the knowledge base's conditions for finding sets by running the compiled differential model through
/// the model registry (ONNX Runtime), then explains each candidate with the weights it was compiled from and
/// the chart citations of the findings. Every result names the model id, version and sha256 that produced it.
/// Thread-safe.
/// </summary>
public sealed class DifferentialEngine
{
    private readonly ModelRegistry _registry;
    private readonly NextTestAdvisor _advisor;

    public DifferentialEngine(DifferentialSpec spec, ModelRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(registry);
        Spec = spec;
        _registry = registry;
        _advisor = new NextTestAdvisor(spec);
    }

    public DifferentialSpec Spec { get; }

    public DifferentialResult Evaluate(FindingSet findings, DifferentialOptions? options = null) =>
        EvaluateBatch([findings], options)[0];

    /// <summary>Many cases in one model run (for evaluation); results are in the order of <paramref name="cases"/>.</summary>
    /// <exception cref="ModelUnavailableException">The model is not served, or the one served was compiled from another knowledge base.</exception>
    public IReadOnlyList<DifferentialResult> EvaluateBatch(IReadOnlyList<FindingSet> cases, DifferentialOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cases);
        options ??= new DifferentialOptions();
        if (!Enum.IsDefined(options.Setting)) throw new ArgumentOutOfRangeException(nameof(options), options.Setting, "Unknown care setting.");
        if (cases.Count == 0) return [];
        int n = cases.Count, f = Spec.Findings.Count, c = Spec.Conditions.Count, k = Spec.TopK;

        var present = new float[n * f];
        var absent = new float[n * f];
        var ignored = new List<string>[n];
        for (int r = 0; r < n; r++)
        {
            ignored[r] = [];
            foreach (var finding in Distinct(cases[r]))
            {
                int i = Spec.FindingIndex(finding.FindingId);
                if (i < 0) { ignored[r].Add(finding.FindingId); continue; }
                if (finding.State == FindingState.Present) present[r * f + i] = 1;
                else if (finding.State == FindingState.Absent) absent[r * f + i] = 1;
            }
        }
        var setting = Enumerable.Repeat((long)options.Setting, n).ToArray();

        // Exactly this spec's version: the approved one and a shadow candidate may be served side by side.
        var result = _registry.Run(DifferentialSpec.ModelId, Spec.Version,
        [
            new NamedTensor(DifferentialCompiler.Present, DenseTensor.FromFloats(present, n, f)),
            new NamedTensor(DifferentialCompiler.Absent, DenseTensor.FromFloats(absent, n, f)),
            new NamedTensor(DifferentialCompiler.Setting, DenseTensor.FromInt64s(setting, n)),
        ]);
        // The explanation reads this spec's weights: it must be the spec the served model was compiled from.
        if (result.Version != Spec.Version)
            throw new ModelUnavailableException($"Model '{DifferentialSpec.ModelId}' serves version {result.Version}, but the knowledge base in use compiles to {Spec.Version}; install the current model (DifferentialModelInstaller).");

        var logits = result.Output(DifferentialCompiler.Logits).AsFloats();
        var probabilities = result.Output(DifferentialCompiler.Probabilities).AsFloats();
        var topIndices = result.Output(DifferentialCompiler.TopIndices).AsInt64s();

        var results = new DifferentialResult[n];
        for (int r = 0; r < n; r++)
        {
            var top = topIndices.AsSpan(r * k, k).ToArray().Select(x => (int)x).ToList();
            var extra = Enumerable.Range(0, c)
                .Where(j => Spec.Conditions[j].CantMiss && !top.Contains(j) && probabilities[r * c + j] >= options.CantMissFloor)
                .OrderByDescending(j => probabilities[r * c + j]).ToList();
            var known = Distinct(cases[r]).ToDictionary(x => x.FindingId, StringComparer.Ordinal);
            var candidates = top.Select(j => Candidate(known, options.Setting, j, probabilities[r * c + j], logits[r * c + j], inTopK: true))
                .Concat(extra.Select(j => Candidate(known, options.Setting, j, probabilities[r * c + j], logits[r * c + j], inTopK: false)))
                .ToList();
            var nextTests = options.NextTests > 0 ? _advisor.Rank(cases[r], probabilities.AsSpan(r * c, c), top, options.NextTests) : [];
            results[r] = new DifferentialResult(cases[r].PatientId, result.ModelId, result.Version, result.Sha256, options.Setting,
                candidates, nextTests, ignored[r]);
        }
        return results;
    }

    private CandidateCondition Candidate(Dictionary<string, ExtractedFinding> known, CareSetting setting, int j, float probability, float logit, bool inTopK)
    {
        var condition = Spec.Conditions[j];
        var contributions = new List<FindingContribution>();
        foreach (var entry in condition.Findings)
        {
            if (!known.TryGetValue(entry.Finding, out var finding) || finding.State == FindingState.Unknown) continue;
            int i = Spec.FindingIndex(entry.Finding);
            double weight = finding.State == FindingState.Present ? Spec.PositiveWeight(i, j) : Spec.NegativeWeight(i, j);
            if (weight == 0) continue; // LR of exactly 1: no evidence either way
            contributions.Add(new FindingContribution(finding.FindingId, Spec.Findings[i].Name, finding.State, weight,
                entry.Reference, entry.IsEstimate, finding.Citations, finding.Historical));
        }
        return new CandidateCondition(condition.Id, condition.Name, probability, Spec.Prior(setting, j), logit, condition.CantMiss, inTopK,
            [.. contributions.Where(x => x.Contribution > 0).OrderByDescending(x => x.Contribution)],
            [.. contributions.Where(x => x.Contribution < 0).OrderBy(x => x.Contribution)]);
    }

    /// <summary>One entry per finding id, the first as <see cref="FindingSet.StateOf"/> reads it, so model input and explanation agree.</summary>
    private static IEnumerable<ExtractedFinding> Distinct(FindingSet findings) => findings.Findings.DistinctBy(f => f.FindingId, StringComparer.Ordinal);
}
