using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Shared.Reasoning.Findings;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using ClinicianPortal.Shared.Reasoning.Summary;
using ClinicianPortal.Shared.Records;
using static ClinicianPortal.Tests.Reasoning.Orchestration.Charts;

namespace ClinicianPortal.Tests.Reasoning.Orchestration;

/// <summary>The deterministic orchestrator on hand-built records: ranking, evidence, citations, provenance, progress.</summary>
public sealed class CaseReviewerTests(CaseReviewFixture fixture) : IClassFixture<CaseReviewFixture>
{
    private static IEnumerable<string> CitedEventIds(CaseReviewResult review) =>
        review.Summary.Summary.Sections.SelectMany(s => s.Sentences).SelectMany(s => s.Citations).Where(c => c.Kind == CitationKind.Event).Select(c => c.Id)
            .Concat(review.Findings.SelectMany(f => f.Citations.Select(c => c.EventId)))
            .Concat(review.Differential.SelectMany(d => d.Supporting.Concat(d.Refuting)).SelectMany(e => e.Citations.Select(c => c.EventId)));

    [Fact]
    public void A_suspected_embolism_puts_pulmonary_embolism_in_the_top_three_with_its_evidence_cited()
    {
        var review = fixture.Reviewer.Review(SuspectedEmbolism());

        Assert.Equal(CareSetting.Emergency, review.Setting);
        var pe = Assert.Single(review.Differential, d => d.ConditionId == "pulmonary-embolism");
        Assert.True(pe.Rank <= 3, string.Join(", ", review.Differential.Take(5).Select(d => $"{d.Rank} {d.ConditionId} {d.Probability:P1}")));
        Assert.True(pe.CantMiss);
        var ddimer = Assert.Single(pe.Supporting, s => s.FindingId == "ddimer-elevated");
        Assert.Equal("obs-dd", Assert.Single(ddimer.Citations).EventId);
        Assert.True(ddimer.Contribution > 0);
        Assert.NotEmpty(pe.References);
        Assert.All(pe.Supporting.Where(s => s.Reference is not null), s => Assert.Contains(pe.References, r => r.Id == s.Reference!.Id));
        // Prior plus every contribution is the model's logit: the evidence shown is the whole explanation.
        Assert.Equal(pe.LogOdds, pe.PriorLogOdds + pe.Supporting.Concat(pe.Refuting).Sum(e => e.Contribution), 3);
        Assert.Equal(review.Differential.Select(d => d.Rank), Enumerable.Range(1, review.Differential.Count));
    }

    [Fact]
    public void Every_citation_of_a_review_is_an_event_of_the_record()
    {
        var record = SuspectedEmbolism();
        var review = fixture.Reviewer.Review(record);

        var ids = record.Events.Select(e => e.Id).ToHashSet();
        var cited = CitedEventIds(review).ToList();
        Assert.Contains(review.Summary.Summary.Sections.SelectMany(s => s.Sentences), s => s.Citations.Any(c => c.Kind == CitationKind.Event));
        Assert.NotEmpty(cited);
        Assert.All(cited, id => Assert.Contains(id, ids));
        Assert.True(review.Summary.Grounded, string.Join("; ", review.Summary.GroundingIssues));
    }

    [Fact]
    public void Provenance_names_the_served_model_and_the_knowledge_base_it_was_compiled_from()
    {
        var review = fixture.Reviewer.Review(SuspectedEmbolism());

        var model = Assert.Single(review.Provenance.Models);
        var manifest = fixture.Differential.Manifest;
        Assert.Equal((manifest.Id, manifest.Version, manifest.Sha256), (model.Id, model.Version, model.Sha256));
        var status = fixture.Differential.Registry.Status(DifferentialSpec.ModelId)!;
        Assert.Equal((status.Version, status.Sha256), (model.Version, model.Sha256));
        Assert.Equal(fixture.Differential.Spec.KnowledgeSha256, review.Provenance.KnowledgeBaseSha256);
        Assert.Equal(CaseReviewer.Deterministic, review.Provenance.Orchestrator);
        Assert.Equal(SummaryGenerator.Version, review.Provenance.SummaryGenerator);
    }

    [Fact]
    public void The_inputs_hash_is_the_same_for_the_same_record_and_changes_with_any_event()
    {
        var first = fixture.Reviewer.Review(SuspectedEmbolism());
        var again = fixture.Reviewer.Review(SuspectedEmbolism());
        var changed = fixture.Reviewer.Review(PatientRecord.Build(Patient(), SuspectedEmbolism().Events
            .Select(e => e.Id == "obs-hr" ? e with { Value = new Quantity(119, "/min", "/min") } : e)));

        Assert.Matches("^[0-9a-f]{64}$", first.Provenance.InputsSha256);
        Assert.Equal(first.Provenance.InputsSha256, again.Provenance.InputsSha256);
        Assert.NotEqual(first.Provenance.InputsSha256, changed.Provenance.InputsSha256);
        Assert.Equal(CaseReviewJson.Serialize(first), CaseReviewJson.Serialize(again));
    }

    [Fact]
    public void Progress_reports_each_tool_in_the_order_it_runs()
    {
        var steps = new List<string>();
        var review = fixture.Reviewer.Review(SuspectedEmbolism(), progress: new SynchronousProgress(steps.Add));

        string[] expected = [CaseTools.TimelineTool, CaseTools.SummaryTool, CaseTools.FindingsTool, CaseTools.DifferentialTool, CaseTools.EvidenceTool];
        Assert.Equal(expected, steps);
        Assert.Equal(expected, review.Steps);
    }

    [Fact]
    public void Events_after_the_review_moment_are_not_read()
    {
        var later = Lab("obs-dd-later", "48065-7", "D-dimer FEU", 0.2, "ug/mL{FEU}", Now.AddDays(3));
        var asOf = Now;

        var review = fixture.Reviewer.Review(SuspectedEmbolism(later), asOf);

        Assert.Equal(asOf, review.AsOf);
        Assert.DoesNotContain("obs-dd-later", CitedEventIds(review));
        Assert.Equal(5, review.Record.EventCount);
        Assert.Equal(FindingState.Present, review.Findings.Single(f => f.FindingId == "ddimer-elevated").State);
    }

    [Fact]
    public void A_primary_care_visit_reviews_with_primary_care_priors_and_a_record_without_events_still_reviews()
    {
        var visit = PatientRecord.Build(Patient(), [Encounter("enc-gp", "AMB", Now), Note("note-gp", "Cough for three days. No fever.", Now, "enc-gp")]);
        var empty = PatientRecord.Build(Patient(), []);

        Assert.Equal(CareSetting.PrimaryCare, fixture.Reviewer.Review(visit).Setting);
        var review = fixture.Reviewer.Review(empty);
        Assert.Equal(0, review.Record.EventCount);
        Assert.NotEmpty(review.Differential);
        Assert.All(review.Findings, f => Assert.Equal(FindingKind.Demographic, f.Kind));
    }

    [Fact]
    public void Evidence_is_refused_for_a_condition_outside_the_differential_or_the_knowledge_base()
    {
        var tools = fixture.Reviewer.ToolsFor(SuspectedEmbolism());
        var ranked = tools.RankDifferential().Candidates.Select(c => c.ConditionId).ToHashSet();
        var outside = fixture.Differential.Knowledge.Conditions.First(c => !ranked.Contains(c.Id)).Id;

        Assert.Contains("not among the candidates", Assert.Throws<ArgumentException>(() => tools.FindEvidence(outside)).Message);
        Assert.Contains("not a condition of the knowledge base", Assert.Throws<ArgumentException>(() => tools.FindEvidence("no-such-condition")).Message);
    }

    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
