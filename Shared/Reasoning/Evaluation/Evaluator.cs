using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Shared.Reasoning.Findings;

namespace ClinicianPortal.Shared.Reasoning.Evaluation;

/// <summary>A case to score: its findings, its gold label as the dataset spells it, and (DDXPlus) the dataset's differential.</summary>
public sealed record EvaluationCase(string Id, string GoldLabel, FindingSet Findings,
    IReadOnlyList<(string Name, double Probability)>? GoldDifferential = null);

/// <summary>The scored cases of one dataset and the gold labels that match no condition (scored as misses).</summary>
public sealed record DatasetScore(string Name, IReadOnlyList<ScoredCase> Cases, IReadOnlyDictionary<string, int> UnmatchedGoldLabels)
{
    public int Unmatched => UnmatchedGoldLabels.Values.Sum();

    /// <summary>Mean number of findings per case that were present, and absent (what the engine had to go on).</summary>
    public (double Present, double Absent) FindingsPerCase { get; init; }
}

/// <summary>
/// Runs the differential engine over cases in batches and scores them. Gold labels are matched to conditions
/// only through the knowledge base's names and synonyms (<see cref="KnowledgeBase.FindByName"/>).
/// </summary>
public static class Evaluator
{
    public const int BatchSize = 256;

    public static DatasetScore Score(string name, DifferentialEngine engine, KnowledgeBase kb, IReadOnlyList<EvaluationCase> cases, CareSetting setting)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var options = new DifferentialOptions { Setting = setting, NextTests = 0 };
        var scored = new List<ScoredCase>(cases.Count);
        for (int start = 0; start < cases.Count; start += BatchSize)
        {
            var batch = cases.Skip(start).Take(BatchSize).ToList();
            var results = engine.EvaluateBatch([.. batch.Select(c => c.Findings)], options);
            for (int i = 0; i < batch.Count; i++)
            {
                var ranking = results[i].Candidates.Where(c => c.InTopK).OrderByDescending(c => c.Probability)
                    .Select(c => (c.ConditionId, c.Probability)).ToList();
                scored.Add(Scored(kb, batch[i], ranking));
            }
        }
        return new DatasetScore(name, scored, Unmatched(kb, cases)) { FindingsPerCase = Known(cases) };
    }

    private static (double, double) Known(IReadOnlyList<EvaluationCase> cases) => cases.Count == 0 ? (0, 0) :
        (cases.Average(c => c.Findings.Findings.Count(f => f.State == FindingState.Present)),
         cases.Average(c => c.Findings.Findings.Count(f => f.State == FindingState.Absent)));

    /// <summary>The baseline that ignores every finding: conditions ranked by prior (the same list for every case).</summary>
    public static DatasetScore PriorOnly(string name, KnowledgeBase kb, IReadOnlyList<EvaluationCase> cases, CareSetting setting, int topK = DifferentialSpec.DefaultTopK)
    {
        var priors = kb.Conditions.Select(c => (c.Id, P: c.Prevalence.Probability(setting))).ToList();
        var total = priors.Sum(p => p.P);
        var ranking = priors.OrderByDescending(p => p.P).ThenBy(p => p.Id, StringComparer.Ordinal).Take(topK)
            .Select(p => (p.Id, p.P / total)).ToList();
        return new DatasetScore(name, [.. cases.Select(c => Scored(kb, c, ranking))], Unmatched(kb, cases));
    }

    private static ScoredCase Scored(KnowledgeBase kb, EvaluationCase c, IReadOnlyList<(string, double)> ranking)
    {
        var differential = c.GoldDifferential?.Select(d => (Id: kb.FindByName(d.Name)?.Id, d.Probability))
            .Where(d => d.Id is not null).Select(d => (d.Id!, d.Probability)).ToList();
        return new ScoredCase(ranking, kb.FindByName(c.GoldLabel)?.Id, differential);
    }

    private static Dictionary<string, int> Unmatched(KnowledgeBase kb, IEnumerable<EvaluationCase> cases) =>
        cases.Where(c => kb.FindByName(c.GoldLabel) is null).GroupBy(c => c.GoldLabel.Trim())
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
}
