using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Findings;

namespace ClinicianPortal.Shared.Reasoning.Differential;

/// <summary>
/// Ranks tests by expected information gain: the expected drop in the entropy of the posterior over
/// conditions once the test's result settles the findings it determines. A test determines a finding when
/// they share a LOINC code, or by <see cref="TestFindings.Curated"/> (imaging, ECG, CSF...). P(finding | condition)
/// is the sensitivity the knowledge base gives or implies (from LR+ and LR−); for a condition that does not
/// list the finding it is the finding's background rate (the median false-positive rate, 1 − specificity,
/// over the conditions that list it). Findings are taken as independent given the condition, like the model.
/// </summary>
public sealed class NextTestAdvisor
{
    /// <summary>At most this many findings per test are considered (2^n outcomes are enumerated).</summary>
    public const int MaxFindingsPerTest = 6;

    private readonly DifferentialSpec _spec;
    private readonly double[][] _positiveRate; // [finding][condition] = P(finding present | condition)
    private readonly Dictionary<string, int[]> _determines;

    public NextTestAdvisor(DifferentialSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
        int f = spec.Findings.Count, c = spec.Conditions.Count;
        _positiveRate = new double[f][];
        for (int i = 0; i < f; i++)
        {
            var listed = new List<(int Condition, double Sensitivity, double Specificity)>();
            for (int j = 0; j < c; j++)
                if (spec.Entry(i, j) is { } entry && Rates(entry) is { } rates) listed.Add((j, rates.Sensitivity, rates.Specificity));
            var falsePositives = listed.Select(x => 1 - x.Specificity).Order().ToList();
            double background = falsePositives.Count == 0 ? 0.05 : falsePositives[falsePositives.Count / 2];
            var row = Enumerable.Repeat(background, c).ToArray();
            foreach (var (j, se, _) in listed) row[j] = se;
            _positiveRate[i] = row;
        }
        _determines = spec.Knowledge.Tests.ToDictionary(t => t.Id, t => TestFindings.Determined(spec.Knowledge, t)
            .Select(spec.FindingIndex).Where(i => i >= 0).Distinct().Order().ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The findings (model indices) a test's result would settle.</summary>
    public IReadOnlyList<int> Determines(string testId) => _determines.GetValueOrDefault(testId, []);

    /// <summary>
    /// The <paramref name="count"/> tests with the highest expected information gain among those the leading
    /// candidates recommend or that settle an unknown finding a leader lists. Tests that settle nothing unknown are left out.
    /// </summary>
    public IReadOnlyList<NextTest> Rank(FindingSet findings, ReadOnlySpan<float> posterior, IReadOnlyList<int> leaders, int count)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(leaders);
        var p = new double[posterior.Length];
        for (int j = 0; j < p.Length; j++) p[j] = posterior[j];

        var candidates = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var j in leaders)
        {
            foreach (var t in _spec.Conditions[j].Tests) candidates.Add(t.Test);
            foreach (var (testId, determined) in _determines)
                if (determined.Any(i => _spec.Entry(i, j) is not null)) candidates.Add(testId);
        }

        var ranked = new List<NextTest>();
        foreach (var testId in candidates)
        {
            if (_spec.Knowledge.Test(testId) is not { } test) continue;
            var unknown = Determines(testId).Where(i => findings.StateOf(_spec.Findings[i].Id) == FindingState.Unknown)
                .Take(MaxFindingsPerTest).ToArray();
            if (unknown.Length == 0) continue;
            var gain = ExpectedInformationGain(p, unknown);
            var purposes = leaders.SelectMany(j => _spec.Conditions[j].Tests.Where(t => t.Test == testId)
                .Select(t => new TestPurpose(_spec.Conditions[j].Id, t.Distinguishes))).ToList();
            ranked.Add(new NextTest(test.Id, test.Name, gain, [.. unknown.Select(i => _spec.Findings[i].Id)], purposes, test.RulesIn, test.RulesOut));
        }
        return [.. ranked.OrderByDescending(t => t.ExpectedInformationGain).ThenBy(t => t.TestId, StringComparer.Ordinal).Take(count)];
    }

    /// <summary>H(posterior) − E_result[H(posterior | result)], in bits, with exact Bayes per result.</summary>
    public double ExpectedInformationGain(ReadOnlySpan<double> posterior, IReadOnlyList<int> findingIndices)
    {
        ArgumentNullException.ThrowIfNull(findingIndices);
        int c = posterior.Length, m = findingIndices.Count;
        double before = Entropy(posterior), after = 0;
        var joint = new double[c];
        for (int outcome = 0; outcome < 1 << m; outcome++)
        {
            double total = 0;
            for (int j = 0; j < c; j++)
            {
                double likelihood = 1;
                for (int b = 0; b < m; b++)
                {
                    double q = _positiveRate[findingIndices[b]][j];
                    likelihood *= (outcome >> b & 1) == 1 ? q : 1 - q;
                }
                joint[j] = posterior[j] * likelihood;
                total += joint[j];
            }
            if (total <= 0) continue;
            double h = 0;
            for (int j = 0; j < c; j++)
                if (joint[j] > 0) { double q = joint[j] / total; h -= q * Math.Log2(q); }
            after += total * h;
        }
        return Math.Max(0, before - after);
    }

    private static double Entropy(ReadOnlySpan<double> p)
    {
        double total = 0, h = 0;
        foreach (var x in p) total += x;
        foreach (var x in p) if (x > 0) { double q = x / total; h -= q * Math.Log2(q); }
        return h;
    }

    /// <summary>Sensitivity and specificity as given, or implied by LR+ and LR− (none when LR+ = LR−).</summary>
    private static (double Sensitivity, double Specificity)? Rates(ConditionFinding entry)
    {
        const double lo = 0.001, hi = 0.999;
        if (entry.Sensitivity is double se && entry.Specificity is double sp) return (Math.Clamp(se, lo, hi), Math.Clamp(sp, lo, hi));
        if (entry.PositiveLikelihoodRatio is not double lrp || entry.NegativeLikelihoodRatio is not double lrn || Math.Abs(lrp - lrn) < 1e-9) return null;
        // LR+ = se / (1 − sp), LR− = (1 − se) / sp  ⇒  sp = (LR+ − 1) / (LR+ − LR−), se = LR+ · (1 − sp).
        double specificity = (lrp - 1) / (lrp - lrn);
        double sensitivity = lrp * (1 - specificity);
        return (Math.Clamp(sensitivity, lo, hi), Math.Clamp(specificity, lo, hi));
    }
}
