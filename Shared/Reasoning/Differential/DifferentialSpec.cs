using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClinicianPortal.Shared.Knowledge;

namespace ClinicianPortal.Shared.Reasoning.Differential;

/// <summary>
/// The numbers the differential model is made of, read off a knowledge base: a fixed finding order and
/// condition order (both sorted by id, so reordering the KB files changes nothing), W+ = ln LR+ and
/// W− = ln LR− per (finding, condition), zero where the condition does not list the finding, and the prior
/// log-odds of every condition per care setting. The ONNX model is compiled from this; the engine reads
/// it only to explain a result (which weight each finding contributed), never to compute the result.
/// </summary>
public sealed class DifferentialSpec
{
    public const string ModelId = "differential-kb";
    public const string Task = "differential-diagnosis";
    /// <summary>Bump when the compiled graph or the weight derivation changes: it is part of the model version.</summary>
    public const string CompilerVersion = "1.0.0";
    public const int DefaultTopK = 10;

    private readonly Dictionary<string, int> _findingIndex;
    private readonly Dictionary<string, int> _conditionIndex;
    private readonly Dictionary<(int Finding, int Condition), ConditionFinding> _entries;

    private DifferentialSpec(KnowledgeBase kb, int topK, double estimateWeight)
    {
        if (!(estimateWeight > 0 && estimateWeight <= 1))
            throw new ArgumentOutOfRangeException(nameof(estimateWeight), estimateWeight, "The weight of estimated likelihood ratios must be within (0, 1].");
        EstimateWeight = estimateWeight;
        Knowledge = kb;
        Findings = [.. kb.Findings.Where(f => kb.Conditions.Any(c => c.Findings.Any(cf => cf.Finding == f.Id))).OrderBy(f => f.Id, StringComparer.Ordinal)];
        Conditions = [.. kb.Conditions.OrderBy(c => c.Id, StringComparer.Ordinal)];
        if (Conditions.Count == 0) throw new ArgumentException("The knowledge base has no conditions to compile.", nameof(kb));
        _findingIndex = Findings.Select((f, i) => (f.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        _conditionIndex = Conditions.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        TopK = Math.Clamp(topK, 1, Conditions.Count);

        int f = Findings.Count, c = Conditions.Count;
        PositiveWeights = new float[f * c];
        NegativeWeights = new float[f * c];
        _entries = [];
        for (int j = 0; j < c; j++)
        {
            foreach (var cf in Conditions[j].Findings)
            {
                if (!_findingIndex.TryGetValue(cf.Finding, out var i))
                    throw new ArgumentException($"Condition {Conditions[j].Id} lists finding '{cf.Finding}', which is not in the finding catalogue.", nameof(kb));
                // A candidate may trust curator estimates less: ln LR × weight, i.e. LR^weight (published values stay whole).
                var factor = cf.IsEstimate ? estimateWeight : 1.0;
                PositiveWeights[i * c + j] = (float)(factor * LogRatio(cf.PositiveLikelihoodRatio, Conditions[j].Id, cf.Finding, "LR+"));
                NegativeWeights[i * c + j] = (float)(factor * LogRatio(cf.NegativeLikelihoodRatio, Conditions[j].Id, cf.Finding, "LR−"));
                _entries[(i, j)] = cf;
            }
        }

        var settings = Enum.GetValues<CareSetting>();
        PriorLogOdds = new float[settings.Length * c];
        foreach (var s in settings)
            for (int j = 0; j < c; j++)
            {
                var p = Conditions[j].Prevalence.Probability(s);
                if (!(p > 0 && p < 1)) throw new ArgumentException($"Condition {Conditions[j].Id}: prevalence in {s} must be within (0, 1000) per 1,000.", nameof(kb));
                PriorLogOdds[(int)s * c + j] = (float)Math.Log(p / (1 - p));
            }

        KnowledgeSha256 = HashKnowledge(kb);
        Variant = estimateWeight == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $".est{Math.Round(estimateWeight * 100):0}");
        Version = $"{CompilerVersion}+kb.{KnowledgeSha256[..12]}.k{TopK}{Variant}";
    }

    /// <summary>Reads the weights of <paramref name="kb"/>; throws <see cref="ArgumentException"/> on a weight the model cannot hold.</summary>
    /// <param name="estimateWeight">
    /// 1 for the model as curated; below 1 for a candidate that shrinks the curator-estimated likelihood ratios toward 1
    /// (ln LR × weight): a second version of the same knowledge base, run in shadow until validators have rated it.
    /// </param>
    public static DifferentialSpec From(KnowledgeBase kb, int topK = DefaultTopK, double estimateWeight = 1.0)
    {
        ArgumentNullException.ThrowIfNull(kb);
        return new DifferentialSpec(kb, topK, estimateWeight);
    }

    /// <summary>The factor on ln LR of curator-estimated entries: 1 as curated, below 1 for a shrunk candidate.</summary>
    public double EstimateWeight { get; }

    /// <summary>"" for the model as curated, ".est50" for estimates weighted 0.5: part of the version and file name.</summary>
    public string Variant { get; }

    /// <summary>True when <paramref name="version"/> was compiled from this spec's knowledge base (any variant).</summary>
    public bool SameKnowledge(string version) => version.Contains($"+kb.{KnowledgeSha256[..12]}.", StringComparison.Ordinal);

    public KnowledgeBase Knowledge { get; }
    /// <summary>Model input order: column i of `present` and `absent` is Findings[i].</summary>
    public IReadOnlyList<Finding> Findings { get; }
    /// <summary>Model output order: column j of `probabilities` is Conditions[j].</summary>
    public IReadOnlyList<Condition> Conditions { get; }
    public int TopK { get; }
    /// <summary>[F × C] row-major, ln LR+.</summary>
    public float[] PositiveWeights { get; }
    /// <summary>[F × C] row-major, ln LR−.</summary>
    public float[] NegativeWeights { get; }
    /// <summary>[settings × C] row-major, ln(p / (1 − p)) with p = prevalence / 1,000; row = (int)CareSetting.</summary>
    public float[] PriorLogOdds { get; }
    /// <summary>SHA-256 of the knowledge base's canonical JSON (every section, sorted by id).</summary>
    public string KnowledgeSha256 { get; }
    /// <summary>Compiler version + KB hash + k: the same KB always gives the same version, any change a new one.</summary>
    public string Version { get; }

    public string FileName => $"{ModelId}-{KnowledgeSha256[..12]}-k{TopK}{Variant.Replace('.', '-')}.onnx";

    public int FindingIndex(string findingId) => _findingIndex.GetValueOrDefault(findingId, -1);
    public int ConditionIndex(string conditionId) => _conditionIndex.GetValueOrDefault(conditionId, -1);

    public float Prior(CareSetting setting, int condition) => PriorLogOdds[(int)setting * Conditions.Count + condition];
    public float PositiveWeight(int finding, int condition) => PositiveWeights[finding * Conditions.Count + condition];
    public float NegativeWeight(int finding, int condition) => NegativeWeights[finding * Conditions.Count + condition];

    /// <summary>The KB entry behind a weight, or null when the condition does not list the finding (weight 0).</summary>
    public ConditionFinding? Entry(int finding, int condition) => _entries.GetValueOrDefault((finding, condition));

    private static double LogRatio(double? ratio, string condition, string finding, string which) =>
        ratio is double r && r > 0 && double.IsFinite(r)
            ? Math.Log(r)
            : throw new ArgumentException($"Condition {condition}, finding {finding}: {which} is missing or not a positive number.");

    private static string HashKnowledge(KnowledgeBase kb)
    {
        var canonical = new KnowledgeFile
        {
            Conditions = [.. kb.Conditions.OrderBy(c => c.Id, StringComparer.Ordinal)],
            Findings = [.. kb.Findings.OrderBy(f => f.Id, StringComparer.Ordinal)],
            Tests = [.. kb.Tests.OrderBy(t => t.Id, StringComparer.Ordinal)],
            References = [.. kb.References.OrderBy(r => r.Id, StringComparer.Ordinal)],
        };
        var json = JsonSerializer.Serialize(canonical, KnowledgeBase.JsonOptions);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{ModelId} {Version}: {Findings.Count} findings × {Conditions.Count} conditions, top {TopK}");
}
