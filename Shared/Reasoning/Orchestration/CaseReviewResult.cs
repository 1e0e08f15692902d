using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Shared.Reasoning.Evidence;
using ClinicianPortal.Shared.Reasoning.Findings;
using ClinicianPortal.Shared.Reasoning.Summary;
using ClinicianPortal.Shared.Records;
using System.Text.Json.Serialization;

namespace ClinicianPortal.Shared.Reasoning.Orchestration;

// What a case review returns, and what each tool returns: plain records that serialize to JSON
// (CaseReviewJson.Options), so a language model calling the tools reads exactly what the UI shows.

/// <summary>The review of one patient's de-identified record at one moment, with everything needed to audit it.</summary>
/// <param name="PatientId">The patient's pseudonym.</param>
/// <param name="AsOf">The moment of the review: the record's latest event unless given.</param>
/// <param name="Differential">Candidates in rank order, each with the evidence for and against it.</param>
/// <param name="Steps">The tools run, in order.</param>
public sealed record CaseReviewResult(
    string PatientId,
    DateTimeOffset AsOf,
    CareSetting Setting,
    RecordSpan Record,
    SummaryView Summary,
    IReadOnlyList<ReviewedFinding> Findings,
    IReadOnlyList<ConditionEvidence> Differential,
    IReadOnlyList<NextTest> NextTests,
    ReviewProvenance Provenance,
    IReadOnlyList<string> Steps);

/// <summary>Which models, knowledge and inputs produced a review: same provenance, same review.</summary>
/// <param name="KnowledgeBaseSha256">SHA-256 of the knowledge base's canonical JSON (its version).</param>
/// <param name="InputsSha256">SHA-256 of the canonical de-identified inputs: the patient, every event (by id) and the review moment.</param>
/// <param name="SummaryGenerator">The version of the summary's generator (deterministic text, no model).</param>
/// <param name="Orchestrator">
/// Who wrote the summary shown: "deterministic" (the tools in a fixed order, the generator's text) or
/// "language-model:&lt;model&gt;" (a language model's prose, accepted because every sentence is grounded).
/// The differential always comes from the ONNX model, whichever it is.
/// </param>
/// <param name="LanguageModel">What the optional language model did (absent when none is configured): its prose, and why it was rejected or failed.</param>
public sealed record ReviewProvenance(
    IReadOnlyList<ModelProvenance> Models,
    string KnowledgeBaseSha256,
    string SummaryGenerator,
    string InputsSha256,
    string Orchestrator,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LanguageModelRun? LanguageModel = null);

/// <summary>
/// One language model's turn in a review, kept in the review (and so in its audit record): the tools it called,
/// the prose it wrote (even when rejected), and why it was not shown.
/// </summary>
/// <param name="Model">The model name sent to the endpoint.</param>
/// <param name="ToolCalls">The tools it called, in order.</param>
/// <param name="Rejections">Accepted: none. Rejected: every sentence that failed the grounding check and why.</param>
/// <param name="Failure">Failed: why no prose came back (timeout, HTTP status, malformed stream).</param>
/// <param name="Prose">The model's final text as received (citation markers included), if any.</param>
public sealed record LanguageModelRun(
    string Model,
    LanguageModelOutcome Outcome,
    IReadOnlyList<string> ToolCalls,
    IReadOnlyList<ProseRejection> Rejections,
    string? Failure,
    string? Prose);

public enum LanguageModelOutcome
{
    /// <summary>Every sentence grounded: the prose is the summary shown.</summary>
    Accepted,
    /// <summary>Prose came back but a sentence failed the grounding check: the deterministic summary is shown.</summary>
    Rejected,
    /// <summary>No usable answer (timeout, HTTP error, malformed stream): the deterministic summary is shown.</summary>
    Failed,
}

/// <summary>Why the prose was rejected: the 1-based sentence (0: the prose as a whole) and the grounding check's reason.</summary>
public sealed record ProseRejection(int Sentence, string Reason);

public sealed record ModelProvenance(string Id, string Version, string Sha256);

/// <summary>How much record the review read.</summary>
public sealed record RecordSpan(int EventCount, DateTimeOffset? First, DateTimeOffset? Last);

/// <summary>get_timeline: the record's events, newest first.</summary>
/// <param name="Total">Events matching the filter; <see cref="Events"/> holds at most the limit asked for.</param>
public sealed record TimelineView(string PatientId, RecordSpan Record, int Total, IReadOnlyList<TimelineEntry> Events);

public sealed record TimelineEntry(
    string Id,
    EventKind Kind,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    string Title,
    string? Code,
    double? Value,
    string? Unit,
    string? ValueText,
    string? Interpretation,
    string? Status);

/// <summary>summarize: the grounded summary and what the grounding check found wrong with it (nothing, when it is sound).</summary>
public sealed record SummaryView(CaseSummary Summary, IReadOnlyList<GroundingIssue> GroundingIssues)
{
    public bool Grounded => GroundingIssues.Count == 0;
}

/// <summary>extract_findings: the knowledge-base findings the record shows or excludes.</summary>
public sealed record FindingsView(string PatientId, DateTimeOffset AsOf, IReadOnlyList<ReviewedFinding> Findings);

public sealed record ReviewedFinding(
    string FindingId,
    string Name,
    FindingKind Kind,
    FindingState State,
    bool Historical,
    string Explanation,
    IReadOnlyList<FindingCitation> Citations);

/// <summary>rank_differential: the ranking and the next tests, with the model that produced them.</summary>
public sealed record DifferentialRanking(
    ModelProvenance Model,
    CareSetting Setting,
    IReadOnlyList<RankedCondition> Candidates,
    IReadOnlyList<NextTest> NextTests,
    IReadOnlyList<string> IgnoredFindings);

/// <param name="Rank">1-based.</param>
/// <param name="InTopK">False for a can't-miss condition shown though outside the model's top k.</param>
public sealed record RankedCondition(int Rank, string ConditionId, string Name, double Probability, double PostTestProbability, bool CantMiss, bool InTopK);

/// <summary>
/// find_evidence: why a candidate of the differential ranks where it does: each known finding's weight
/// (ln likelihood ratio), the chart entries behind it and the knowledge-base references.
/// </summary>
/// <param name="Passages">Reference passages and note sentences supporting the condition, best first (<see cref="PassageRetriever"/>).</param>
public sealed record ConditionEvidence(
    int Rank,
    string ConditionId,
    string Name,
    double Probability,
    double PostTestProbability,
    double PriorLogOdds,
    double LogOdds,
    bool CantMiss,
    bool InTopK,
    IReadOnlyList<EvidenceItem> Supporting,
    IReadOnlyList<EvidenceItem> Refuting,
    IReadOnlyList<ReferenceView> References,
    IReadOnlyList<SupportingPassage> Passages);

/// <param name="Contribution">Log-odds this finding added to the condition (ln LR+ if present, ln LR− if absent).</param>
/// <param name="Reference">The reference behind this weight, if the knowledge base gives one.</param>
public sealed record EvidenceItem(
    string FindingId,
    string FindingName,
    FindingState State,
    bool Historical,
    double Contribution,
    double LikelihoodRatio,
    bool IsEstimate,
    ReferenceView? Reference,
    IReadOnlyList<ChartCitation> Citations);

/// <summary>A chart entry cited as evidence: the event id (resolvable in the record) and what it shows.</summary>
public sealed record ChartCitation(string EventId, string Excerpt, EventKind Kind, DateTimeOffset? Start, string Title);

public sealed record ReferenceView(string Id, string Title, string Source, int Year, string? Doi, string? Url)
{
    public static ReferenceView Of(Reference r) => new(r.Id, r.Title, r.Source, r.Year, r.Doi, r.Url);
}
