using System.Text.RegularExpressions;
using ClinicianPortal.Components.CaseReview;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using ClinicianPortal.Shared.Reasoning.Summary;
using ClinicianPortal.Shared.Records;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.Reasoning.Orchestration;

namespace ClinicianPortal.Tests.Components.CaseReview;

/// <summary>The case review's markup for a real review (real extractor, real model) of the pulmonary-embolism sample patient.</summary>
public sealed class CaseReviewViewTests(CaseReviewFixture fixture) : IClassFixture<CaseReviewFixture>
{
    private static readonly string Sample = Path.Combine(TestEnvironment.RepositoryRoot, "ClinicianPortal", "SampleData", "patient-0010-pulmonary-embolism.json");

    private async Task<(PatientRecord Record, CaseReviewResult Review, string Html)> RenderAsync(bool expandFirst = false,
        Microsoft.AspNetCore.Components.RenderFragment<ClinicianPortal.Components.Annotations.AnnotationSpot>? annotate = null)
    {
        var record = Assert.Single(await CaseReviewFixture.ReadRecordsAsync(Sample));
        var review = fixture.Reviewer.Review(record);
        await using var renderer = new StaticRenderer();
        var html = await renderer.RenderAsync<CaseReviewView>(new()
        {
            [nameof(CaseReviewView.Review)] = review,
            [nameof(CaseReviewView.Events)] = record.Events,
            [nameof(CaseReviewView.AuditId)] = 7L,
            [nameof(CaseReviewView.ExpandFirst)] = expandFirst,
            [nameof(CaseReviewView.Annotate)] = annotate,
        });
        return (record, review, html);
    }

    private static IEnumerable<string> Between(string html, string testId, string endTag) =>
        Regex.Matches(html, $"data-testid=\"{testId}\".*?{endTag}", RegexOptions.Singleline).Select(m => m.Value);

    [Fact]
    public async Task With_an_annotate_slot_every_sentence_entry_and_shown_evidence_item_gets_one_under_its_target_key_and_without_none()
    {
        var (_, review, html) = await RenderAsync(expandFirst: true, annotate: spot => builder =>
        {
            builder.OpenElement(0, "span");
            builder.AddAttribute(1, "data-spot", spot.Target.Key);
            builder.AddAttribute(2, "data-spot-text", spot.Text);
            builder.CloseElement();
        });

        var spots = Regex.Matches(html, "data-spot=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        var top = review.Differential[0];
        string[] expected =
        [
            .. review.Summary.Summary.Sections.SelectMany(s => s.Sentences.Select((_, i) => $"summary/{s.Key}/{i + 1}")),
            "summary",
            .. review.Differential.SelectMany(c => c == top
                ? [$"differential/{c.ConditionId}", .. top.Supporting.Concat(top.Refuting).Select(e => $"evidence/{top.ConditionId}/{e.FindingId}")]
                : new[] { $"differential/{c.ConditionId}" }),
            "differential",
        ];
        Assert.Equal(expected, spots);
        Assert.All(spots, key => Assert.NotNull(ClinicianPortal.Shared.Governance.Annotations.AnnotationTarget.TryParse(key, out _)));
        Assert.Contains($"data-spot-text=\"{top.Name} ({CaseReviewText.Percent(top.Probability)}, rank 1)\"", StaticRenderer.Decoded(html), StringComparison.Ordinal);

        var (_, _, plain) = await RenderAsync(expandFirst: true);
        Assert.DoesNotContain("data-spot", plain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_summary_sentence_is_shown_with_a_chip_for_each_cited_chart_entry_labelled_by_its_title()
    {
        var (record, review, html) = await RenderAsync();

        var sentences = review.Summary.Summary.Sections.SelectMany(s => s.Sentences).ToList();
        var shown = Between(html, "summary-sentence", "</li>").ToList();
        Assert.Equal(sentences.Count, shown.Count);
        foreach (var (sentence, markup) in sentences.Zip(shown))
        {
            Assert.Contains(sentence.Text, StaticRenderer.Decoded(markup), StringComparison.Ordinal);
            var cited = Regex.Matches(markup, "data-event-id=\"([^\"]+)\"").Select(m => m.Groups[1].Value);
            // The first few citations as chips, the rest behind a "+n more" toggle.
            var chips = sentence.Citations.Take(CitationChips.Shown).ToList();
            Assert.Equal(chips.Where(c => c.Kind == CitationKind.Event).Select(c => c.Id), cited);
            Assert.Equal(chips.Count(c => c.Kind == CitationKind.Patient), Regex.Matches(markup, "chip-patient").Count);
            var hidden = sentence.Citations.Count - chips.Count;
            if (hidden > 0) Assert.Contains($"+{hidden} more", StaticRenderer.Decoded(markup), StringComparison.Ordinal);
            else Assert.DoesNotContain("more-citations", markup, StringComparison.Ordinal);
        }
        var citedEvent = sentences.SelectMany(s => s.Citations).First(c => c.Kind == CitationKind.Event);
        var e = record.Events.Single(x => x.Id == citedEvent.Id);
        Assert.Contains($"Open chart entry: {CaseReviewText.ChipLabel(e.Title, e.Start)}", StaticRenderer.Decoded(html), StringComparison.Ordinal);
        foreach (var section in review.Summary.Summary.Sections) Assert.Contains($">{section.Title}</h4>", StaticRenderer.Decoded(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_differential_shows_each_candidate_in_rank_order_with_its_probability_as_text_and_the_cant_miss_badge()
    {
        var (_, review, html) = await RenderAsync();

        var rows = Between(html, "differential-row", "</tr>").ToList();
        Assert.Equal(review.Differential.Count, rows.Count);
        Assert.Contains(review.Differential, c => c.CantMiss);
        foreach (var (candidate, row) in review.Differential.Zip(rows))
        {
            var text = StaticRenderer.Decoded(row);
            Assert.Contains(candidate.Name, text, StringComparison.Ordinal);
            Assert.Equal(CaseReviewText.Percent(candidate.Probability), StaticRenderer.TextOf(row, "probability"));
            Assert.Equal(candidate.CantMiss, row.Contains("data-testid=\"cant-miss\"", StringComparison.Ordinal));
            Assert.Contains("aria-expanded=\"false\"", row, StringComparison.Ordinal);
        }
        Assert.Contains("Pulmonary embolism", StaticRenderer.Decoded(rows[0]), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("data-testid=\"evidence\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expanded_candidate_lists_its_findings_with_signed_contributions_chart_chips_and_reference_ids()
    {
        var (_, review, html) = await RenderAsync(expandFirst: true);

        var first = review.Differential[0];
        var evidence = StaticRenderer.Decoded(Assert.Single(Between(html, "evidence", "</tr>")));
        Assert.Contains("aria-expanded=\"true\"", Between(html, "differential-row", "</tr>").First(), StringComparison.Ordinal);
        Assert.NotEmpty(first.Supporting);
        foreach (var item in first.Supporting.Concat(first.Refuting))
        {
            Assert.Contains($"{CaseReviewText.Contribution(item.Contribution)}</span>", evidence, StringComparison.Ordinal);
            Assert.Contains(item.FindingName, evidence, StringComparison.Ordinal);
            foreach (var c in item.Citations.Take(CitationChips.Shown)) Assert.Contains($"data-event-id=\"{c.EventId}\"", evidence, StringComparison.Ordinal);
            if (item.Reference is { } r) Assert.Contains($"KB {r.Id}", evidence, StringComparison.Ordinal);
        }
        Assert.Equal(first.Supporting.Concat(first.Refuting).Count(i => i.IsEstimate), Regex.Matches(evidence, ">estimate</span>").Count);
        Assert.StartsWith("+", CaseReviewText.Contribution(first.Supporting[0].Contribution), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expanded_candidate_shows_its_supporting_passages_with_chart_chips_and_paraphrase_badges()
    {
        var (record, review, html) = await RenderAsync(expandFirst: true);

        var first = review.Differential[0];
        var shown = Between(html, "passage", "</li>").ToList();
        Assert.Equal(first.Passages.Count, shown.Count);
        Assert.Contains(first.Passages, p => p.Source == Shared.Reasoning.Evidence.PassageSource.Chart);
        Assert.Contains(first.Passages, p => p.Source == Shared.Reasoning.Evidence.PassageSource.Reference);
        foreach (var (passage, markup) in first.Passages.Zip(shown))
        {
            var text = StaticRenderer.Decoded(markup);
            Assert.Contains(passage.Text, text, StringComparison.Ordinal);
            if (passage.Source == Shared.Reasoning.Evidence.PassageSource.Chart)
            {
                Assert.Contains($"data-event-id=\"{passage.SourceId}\"", markup, StringComparison.Ordinal);
                Assert.Contains(record.Events, e => e.Id == passage.SourceId && e.Kind == EventKind.Note);
            }
            else
            {
                Assert.Contains($"KB {passage.SourceId}", text, StringComparison.Ordinal);
                Assert.Contains(">paraphrase</span>", markup, StringComparison.Ordinal);
            }
        }
        Assert.Contains(">Supporting passages</h5>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_next_tests_and_the_provenance_of_the_models_knowledge_and_inputs_are_shown()
    {
        var (_, review, html) = await RenderAsync();
        var text = StaticRenderer.Decoded(html);

        Assert.NotEmpty(review.NextTests);
        foreach (var t in review.NextTests)
        {
            Assert.Contains(t.Name, text, StringComparison.Ordinal);
            Assert.Contains(CaseReviewText.Bits(t.ExpectedInformationGain), text, StringComparison.Ordinal);
        }
        var provenance = StaticRenderer.Decoded(Assert.Single(Between(html, "provenance", "</p>")));
        var model = Assert.Single(review.Provenance.Models);
        Assert.Contains($"Model {model.Id} v{model.Version}", provenance, StringComparison.Ordinal);
        Assert.Contains(model.Sha256[..12], provenance, StringComparison.Ordinal);
        Assert.DoesNotContain(model.Sha256[..13], provenance, StringComparison.Ordinal);
        Assert.Contains(review.Provenance.KnowledgeBaseSha256[..12], provenance, StringComparison.Ordinal);
        Assert.Contains("Audit record #7", provenance, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.4321, "43%")]
    [InlineData(0.001, "<1%")]
    [InlineData(0, "0%")]
    [InlineData(1, "100%")]
    public void Probabilities_read_as_whole_percentages_and_a_small_one_never_as_zero(double p, string text) =>
        Assert.Equal(text, CaseReviewText.Percent(p));

    [Theory]
    [InlineData(1.234, "+1.2")]
    [InlineData(-0.66, "−0.7")]
    [InlineData(0.049, "+0.05")]
    [InlineData(-0.05, "−0.05")]
    [InlineData(0.096, "+0.1")]
    public void Contributions_carry_their_sign(double lnLr, string text) => Assert.Equal(text, CaseReviewText.Contribution(lnLr));
}
