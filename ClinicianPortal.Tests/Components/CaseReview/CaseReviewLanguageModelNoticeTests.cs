using System.Text.RegularExpressions;
using ClinicianPortal.Components.CaseReview;
using ClinicianPortal.Shared.Reasoning.LanguageModel;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.Reasoning.Orchestration;

namespace ClinicianPortal.Tests.Components.CaseReview;

/// <summary>The case review says who wrote the summary and, when a language model's prose was not shown, why.</summary>
public sealed class CaseReviewLanguageModelNoticeTests(CaseReviewFixture fixture) : IClassFixture<CaseReviewFixture>
{
    private async Task<(string Author, string? Notice)> RenderAsync(LanguageModelRun? run, string? orchestrator = null)
    {
        var review = fixture.Reviewer.Review(Charts.SuspectedEmbolism());
        review = review with { Provenance = review.Provenance with { LanguageModel = run, Orchestrator = orchestrator ?? review.Provenance.Orchestrator } };
        await using var renderer = new StaticRenderer();
        var html = await renderer.RenderAsync<CaseReviewView>(new() { [nameof(CaseReviewView.Review)] = review });
        string? Text(string testId) => Regex.Match(html, $"data-testid=\"{testId}\"[^>]*>(.*?)</p>", RegexOptions.Singleline) is { Success: true } m
            ? StaticRenderer.Decoded(m.Groups[1].Value).Trim() : null;
        return (Text("summary-author")!, Text("language-model-notice"));
    }

    private static LanguageModelRun Run(LanguageModelOutcome outcome, IReadOnlyList<ProseRejection>? rejections = null, string? failure = null) =>
        new("gpt-test", outcome, ["summarize"], rejections ?? [], failure, outcome == LanguageModelOutcome.Failed ? null : "Some prose [EV-1].");

    [Fact]
    public async Task Without_a_language_model_the_generator_is_named_and_there_is_no_notice()
    {
        var (author, notice) = await RenderAsync(null);

        Assert.StartsWith("Written by the deterministic summary generator", author, StringComparison.Ordinal);
        Assert.Null(notice);
    }

    [Fact]
    public async Task Accepted_prose_is_attributed_to_the_language_model_without_a_notice()
    {
        var (author, notice) = await RenderAsync(Run(LanguageModelOutcome.Accepted), LanguageModelOrchestrator.OrchestratorPrefix + "gpt-test");

        Assert.Equal("Written by the language model gpt-test; every sentence was checked against the chart entries it cites.", author);
        Assert.Null(notice);
    }

    [Fact]
    public async Task Rejected_prose_gets_a_notice_naming_the_first_failing_sentence_and_the_deterministic_summary_is_attributed()
    {
        var (author, notice) = await RenderAsync(Run(LanguageModelOutcome.Rejected,
            [new ProseRejection(3, "the sentence cites no chart entry"), new ProseRejection(5, "the number 87 is not supported by the cited entries")]));

        Assert.StartsWith("Written by the deterministic summary generator", author, StringComparison.Ordinal);
        Assert.Equal("Language-model summary rejected: sentence 3 cites no chart entry (and 1 more problem); showing the deterministic summary.", notice);
    }

    [Fact]
    public async Task A_failed_language_model_gets_a_notice_with_the_reason()
    {
        var (_, notice) = await RenderAsync(Run(LanguageModelOutcome.Failed, failure: "the endpoint answered HTTP 500"));

        Assert.Equal("Language model unavailable (the endpoint answered HTTP 500); showing the deterministic summary.", notice);
    }

    [Theory]
    [InlineData(3, "the sentence cites no chart entry", "sentence 3 cites no chart entry")]
    [InlineData(2, "cites entry 'EV-X', which is not in the record", "sentence 2 cites entry 'EV-X', which is not in the record")]
    [InlineData(4, "the number 87 is not supported by the cited entries", "sentence 4: the number 87 is not supported by the cited entries")]
    [InlineData(0, "the model wrote no summary", "the summary: the model wrote no summary")]
    public void A_rejection_reads_as_the_sentence_and_its_reason(int sentence, string reason, string text) =>
        Assert.Equal(text, CaseReviewText.Rejection(new ProseRejection(sentence, reason)));
}
