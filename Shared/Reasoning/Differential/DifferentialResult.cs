using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Findings;

namespace ClinicianPortal.Shared.Reasoning.Differential;

/// <summary>The ranked differential of one case, and exactly which model produced it.</summary>
/// <param name="Candidates">The model's top k in rank order, then can't-miss conditions above the floor that the top k left out.</param>
/// <param name="IgnoredFindings">Finding ids in the finding set that the model does not use (not in the knowledge base).</param>
public sealed record DifferentialResult(
    string PatientId,
    string ModelId,
    string ModelVersion,
    string ModelSha256,
    CareSetting Setting,
    IReadOnlyList<CandidateCondition> Candidates,
    IReadOnlyList<NextTest> NextTests,
    IReadOnlyList<string> IgnoredFindings);

/// <summary>One condition of the differential with the evidence for and against it.</summary>
/// <param name="Probability">The model's softmax share: the probability that this is the diagnosis, if exactly one listed condition is.</param>
/// <param name="PriorLogOdds">ln(prior odds) from the knowledge base's prevalence in the care setting.</param>
/// <param name="LogOdds">The model's logit: prior log-odds plus every contribution (ln LR of each known finding).</param>
/// <param name="InTopK">False for a can't-miss condition shown because it is above the floor though outside the top k.</param>
public sealed record CandidateCondition(
    string ConditionId,
    string Name,
    double Probability,
    double PriorLogOdds,
    double LogOdds,
    bool CantMiss,
    bool InTopK,
    IReadOnlyList<FindingContribution> Supporting,
    IReadOnlyList<FindingContribution> Refuting)
{
    /// <summary>Post-test probability of this condition on its own (prior odds × likelihood ratios), not normalised against the others.</summary>
    public double PostTestProbability => 1 / (1 + Math.Exp(-LogOdds));
}

/// <summary>What one known finding did to one condition: ln LR+ if present, ln LR− if absent.</summary>
/// <param name="Contribution">Log-odds added to the condition (positive supports, negative refutes).</param>
/// <param name="ReferenceId">The knowledge base's reference for this weight, if any.</param>
/// <param name="IsEstimate">True when the likelihood ratio is the curator's estimate rather than a published value.</param>
/// <param name="Citations">The chart entries behind the finding, from the finding set.</param>
public sealed record FindingContribution(
    string FindingId,
    string FindingName,
    FindingState State,
    double Contribution,
    string? ReferenceId,
    bool IsEstimate,
    IReadOnlyList<FindingCitation> Citations,
    bool Historical)
{
    public double LikelihoodRatio => Math.Exp(Contribution);
}

/// <summary>A test worth ordering next, ranked by how much it is expected to narrow the differential.</summary>
/// <param name="ExpectedInformationGain">Expected reduction of the posterior's entropy, in bits, over the test's possible results.</param>
/// <param name="Determines">The findings (unknown now) whose state the result would settle.</param>
/// <param name="Distinguishes">For each leading candidate that recommends the test, what the knowledge base says it tells apart.</param>
public sealed record NextTest(
    string TestId,
    string Name,
    double ExpectedInformationGain,
    IReadOnlyList<string> Determines,
    IReadOnlyList<TestPurpose> Distinguishes,
    string RulesIn,
    string RulesOut);

public sealed record TestPurpose(string ConditionId, string Distinguishes);

/// <summary>How to run the differential.</summary>
public sealed record DifferentialOptions
{
    public CareSetting Setting { get; init; } = CareSetting.Emergency;
    /// <summary>Can't-miss conditions at or above this probability are shown even outside the top k.</summary>
    public double CantMissFloor { get; init; } = 0.01;
    /// <summary>How many next tests to suggest (0: none, which also skips their computation).</summary>
    public int NextTests { get; init; } = 5;
}
