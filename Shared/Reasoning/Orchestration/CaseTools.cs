using System.ComponentModel;
using System.Runtime.CompilerServices;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Shared.Reasoning.Evidence;
using ClinicianPortal.Shared.Reasoning.Findings;
using ClinicianPortal.Shared.Reasoning.Summary;
using ClinicianPortal.Shared.Records;
using Microsoft.Extensions.AI;

namespace ClinicianPortal.Shared.Reasoning.Orchestration;

/// <summary>
/// The case-review capabilities over one patient's record, as plain methods (the deterministic orchestrator
/// calls them) and as <see cref="AIFunction"/> tools with the same names and results (a chat client with
/// function calling can drive them). Findings and the differential are computed once and reused.
/// Not thread-safe: one instance per review.
/// </summary>
public sealed class CaseTools
{
    private readonly PatientRecord _record;
    private readonly KnowledgeBase _kb;
    private readonly IFindingExtractor _extractor;
    private readonly DifferentialEngine _engine;
    private readonly Dictionary<string, ClinicalEvent> _events;
    private FindingSet? _findings;
    private DifferentialResult? _differential;
    private SummaryView? _summary;

    /// <param name="asOf">The moment of the review (default: the record's latest event).</param>
    /// <param name="setting">The care setting for the priors (default: from the latest encounter, <see cref="CaseInputs.SettingOf"/>).</param>
    public CaseTools(PatientRecord record, KnowledgeBase kb, IFindingExtractor extractor, DifferentialEngine engine, DateTimeOffset? asOf = null, CareSetting? setting = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        _record = record;
        _kb = kb;
        _extractor = extractor;
        _engine = engine;
        _events = record.Events.ToDictionary(e => e.Id, StringComparer.Ordinal);
        AsOf = asOf ?? CaseInputs.LatestEvent(record);
        Setting = setting ?? CaseInputs.SettingOf(record, AsOf);
    }

    public DateTimeOffset AsOf { get; }
    public CareSetting Setting { get; }
    public PatientRecord Record => _record;
    public KnowledgeBase Knowledge => _kb;

    public const string TimelineTool = "get_timeline";
    public const string FindingsTool = "extract_findings";
    public const string DifferentialTool = "rank_differential";
    public const string EvidenceTool = "find_evidence";
    public const string SummaryTool = "summarize";

    [Description("The patient's de-identified events up to the review moment, newest first.")]
    public TimelineView GetTimeline(
        [Description("Only this kind: encounter, condition, observation, medication, procedure, allergy, immunization, report, note, care-plan.")] EventKind? kind = null,
        [Description("Only events starting at or after this time (ISO 8601).")] DateTimeOffset? since = null,
        [Description("At most this many events (0: none, only the counts).")] int limit = 50)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var visible = _record.Events.Where(e => e.Start is null || e.Start <= AsOf).ToList();
        var span = new RecordSpan(visible.Count, visible.Min(e => e.Start), visible.Max(e => e.Start));
        var matching = visible.Where(e => (kind is null || e.Kind == kind) && (since is null || e.Start >= since))
            .OrderByDescending(e => e.Start).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        var entries = matching.Take(limit).Select(e => new TimelineEntry(e.Id, e.Kind, e.Start, e.End, e.Title, e.Code?.Code,
            e.Value?.Value, e.Value?.Unit, e.ValueText, e.Interpretation, e.Status)).ToList();
        return new TimelineView(_record.Patient.Id, span, matching.Count, entries);
    }

    [Description("A problem-oriented summary of the record (one-liner, problems, recent changes, results, medications, allergies); every sentence cites the chart entries it rests on.")]
    public SummaryView Summarize()
    {
        if (_summary is not null) return _summary;
        var summary = SummaryGenerator.Generate(_record, new SummaryOptions { AsOf = AsOf });
        return _summary = new SummaryView(summary, SummaryGrounding.Check(summary, _record, _kb).Issues);
    }

    [Description("The knowledge-base findings the record shows (present) or excludes (absent), each with the chart entries behind it.")]
    public FindingsView ExtractFindings()
    {
        var findings = Findings().Findings
            .Select(f => new ReviewedFinding(f.FindingId, _kb.Finding(f.FindingId)?.Name ?? f.FindingId, _kb.Finding(f.FindingId)?.Kind ?? FindingKind.Symptom,
                f.State, f.Historical, f.Explanation, f.Citations))
            .OrderBy(f => f.State).ThenBy(f => f.FindingId, StringComparer.Ordinal).ToList();
        return new FindingsView(_record.Patient.Id, AsOf, findings);
    }

    [Description("The ranked differential diagnosis (probabilities, can't-miss flags) from the compiled knowledge-base model, and the tests worth ordering next.")]
    public DifferentialRanking RankDifferential()
    {
        var d = Differential();
        var candidates = d.Candidates.Select((c, i) => new RankedCondition(i + 1, c.ConditionId, c.Name, c.Probability, c.PostTestProbability, c.CantMiss, c.InTopK)).ToList();
        return new DifferentialRanking(new ModelProvenance(d.ModelId, d.ModelVersion, d.ModelSha256), d.Setting, candidates, d.NextTests, d.IgnoredFindings);
    }

    [Description("Why one candidate of the differential ranks where it does: each finding's weight, the chart entries behind it, the knowledge-base references, and the passages (reference paraphrases and note sentences) that support it.")]
    public ConditionEvidence FindEvidence(
        [Description("The condition id, as rank_differential lists it (e.g. pulmonary-embolism).")] string conditionId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conditionId);
        var d = Differential();
        var index = d.Candidates.ToList().FindIndex(c => c.ConditionId == conditionId);
        if (index < 0)
            throw new ArgumentException(_kb.Condition(conditionId) is null
                ? $"'{conditionId}' is not a condition of the knowledge base."
                : $"'{conditionId}' is not among the candidates of this differential; evidence is given for candidates only.", nameof(conditionId));
        var c = d.Candidates[index];
        var condition = _kb.Condition(conditionId)!;
        var referenceIds = condition.References.Concat(c.Supporting.Concat(c.Refuting).Select(x => x.ReferenceId).OfType<string>()).Distinct(StringComparer.Ordinal);
        return new ConditionEvidence(index + 1, c.ConditionId, c.Name, c.Probability, c.PostTestProbability, c.PriorLogOdds, c.LogOdds, c.CantMiss, c.InTopK,
            [.. c.Supporting.Select(Item)], [.. c.Refuting.Select(Item)],
            [.. referenceIds.Select(_kb.Reference).OfType<Reference>().Select(ReferenceView.Of)],
            RetrieverFor(_kb).Retrieve(conditionId, _record, AsOf,
                [.. c.Supporting.Where(s => s.State == FindingState.Present).Select(s => s.FindingId)]));
    }

    // One retriever per knowledge base (it indexes the reference passages once).
    private static readonly ConditionalWeakTable<KnowledgeBase, PassageRetriever> Retrievers = new();
    private static PassageRetriever RetrieverFor(KnowledgeBase kb) => Retrievers.GetValue(kb, k => new PassageRetriever(k));

    /// <summary>The tools for a chat client (or any AIFunction caller), results serialized with <see cref="CaseReviewJson.Options"/>.</summary>
    public IReadOnlyList<AIFunction> AsAIFunctions() =>
    [
        AIFunctionFactory.Create(GetTimeline, TimelineTool, null, CaseReviewJson.Options),
        AIFunctionFactory.Create(Summarize, SummaryTool, null, CaseReviewJson.Options),
        AIFunctionFactory.Create(ExtractFindings, FindingsTool, null, CaseReviewJson.Options),
        AIFunctionFactory.Create(RankDifferential, DifferentialTool, null, CaseReviewJson.Options),
        AIFunctionFactory.Create(FindEvidence, EvidenceTool, null, CaseReviewJson.Options),
    ];

    internal FindingSet Findings() => _findings ??= _extractor.Extract(_record, AsOf);

    internal DifferentialResult Differential() =>
        _differential ??= _engine.Evaluate(Findings(), new DifferentialOptions { Setting = Setting });

    private EvidenceItem Item(FindingContribution f)
    {
        var reference = f.ReferenceId is null ? null : _kb.Reference(f.ReferenceId);
        return new EvidenceItem(f.FindingId, f.FindingName, f.State, f.Historical, f.Contribution, f.LikelihoodRatio, f.IsEstimate,
            reference is null ? null : ReferenceView.Of(reference),
            [.. f.Citations.Select(Cite)]);
    }

    private ChartCitation Cite(FindingCitation c) =>
        _events.TryGetValue(c.EventId, out var e)
            ? new ChartCitation(c.EventId, c.Excerpt, e.Kind, e.Start, e.Title)
            : throw new InvalidOperationException($"A finding cites event '{c.EventId}', which is not in the patient's record.");
}
