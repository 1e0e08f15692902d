using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Shared.Reasoning.Findings;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Shared.Reasoning.Orchestration;

/// <summary>
/// The deterministic orchestrator: runs the case tools in a fixed order (timeline, summary, findings,
/// differential, evidence for every candidate) and assembles the <see cref="CaseReviewResult"/>. No language model: the same
/// record, knowledge base and model give the same review. Thread-safe (each review has its own tools).
/// </summary>
public sealed class CaseReviewer(KnowledgeBase knowledge, IFindingExtractor extractor, DifferentialEngine engine)
{
    public const string Deterministic = "deterministic";

    public KnowledgeBase Knowledge { get; } = knowledge;

    /// <summary>The tools over one record, for a caller that drives them itself (a chat client).</summary>
    public CaseTools ToolsFor(PatientRecord record, DateTimeOffset? asOf = null, CareSetting? setting = null) =>
        new(record, Knowledge, extractor, engine, asOf, setting);

    /// <param name="progress">Told the name of each tool as it starts (get_timeline, extract_findings...).</param>
    /// <exception cref="Inference.Models.ModelUnavailableException">The differential model is not served.</exception>
    public CaseReviewResult Review(PatientRecord record, DateTimeOffset? asOf = null, CareSetting? setting = null,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        return Review(ToolsFor(record, asOf, setting), progress, cancellationToken);
    }

    /// <summary>Reviews with given tools, so that a language model driving the same tools afterwards reads the same results.</summary>
    public CaseReviewResult Review(CaseTools tools, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var record = tools.Record;
        var steps = new List<string>();
        void Step(string name)
        {
            cancellationToken.ThrowIfCancellationRequested();
            steps.Add(name);
            progress?.Report(name);
        }

        Step(CaseTools.TimelineTool);
        var timeline = tools.GetTimeline(limit: 0);
        Step(CaseTools.SummaryTool);
        var summary = tools.Summarize();
        Step(CaseTools.FindingsTool);
        var findings = tools.ExtractFindings();
        Step(CaseTools.DifferentialTool);
        var ranking = tools.RankDifferential();
        Step(CaseTools.EvidenceTool);
        var evidence = ranking.Candidates.Select(c => tools.FindEvidence(c.ConditionId)).ToList();

        var provenance = new ReviewProvenance([ranking.Model], engine.Spec.KnowledgeSha256, Summary.SummaryGenerator.Version,
            CaseInputs.Sha256(record, tools.AsOf), Deterministic);
        return new CaseReviewResult(record.Patient.Id, tools.AsOf, tools.Setting, timeline.Record, summary, findings.Findings, evidence,
            ranking.NextTests, provenance, steps);
    }
}
