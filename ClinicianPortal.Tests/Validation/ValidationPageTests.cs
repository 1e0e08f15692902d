using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClinicianPortal.Audit;
using ClinicianPortal.Data;
using ClinicianPortal.Identity;
using ClinicianPortal.Shared.Governance.Audit;
using ClinicianPortal.Shared.Governance.Validation;
using ClinicianPortal.Tests.Governance.Validation;
using ClinicianPortal.Tests.Identity;
using ClinicianPortal.Tests.Reasoning.Orchestration;
using ClinicianPortal.Tests.Records;
using ClinicianPortal.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicianPortal.Tests.Validation;

/// <summary>
/// The /validation pages as each role receives them (the whole app, real sign-in, prerendered HTML): validators rate
/// blinded, administrators sample and export but do not rate.
/// </summary>
public sealed class ValidationPageTests(ValidationPageTests.App app) : IClassFixture<ValidationPageTests.App>
{
    public const string HiddenVersion = "7.7.7-hidden";
    public const string OtherRatersComment = "OTHER-RATER-COMMENT";

    /// <summary>Two audited reviews of a stored sample patient, sampled; the first item rated by another validator, one item rated by "validator".</summary>
    public sealed class App : IAsyncLifetime
    {
        private readonly CaseReviewFixture reviews = new();

        public IdentityTestApp Portal { get; } = new();
        public List<AuditRecord> Records { get; private set; } = [];
        public IReadOnlyList<ValidationItem> Items { get; private set; } = [];
        public HttpClient Validator { get; private set; } = default!;
        public HttpClient Admin { get; private set; } = default!;

        public async Task InitializeAsync()
        {
            Validator = await Portal.SignedInClientAsync(Roles.Validator);
            Admin = await Portal.SignedInClientAsync(Roles.Admin);
            var services = Portal.Factory.Services;
            var batch = await ImportTestKit.ReadFileAsync(AuditedReviews.Sample);
            await services.GetRequiredService<IPatientStore>().StoreAsync(batch);
            var review = await AuditedReviews.ReviewAsync(reviews);
            Records = await AuditedReviews.AppendAsync(services.GetRequiredService<AuditStore>(), review, AuditedReviews.Model(HiddenVersion), AuditedReviews.Model(HiddenVersion));
            var store = services.GetRequiredService<ValidationStore>();
            await store.SampleAsync();
            Items = (await store.QueueAsync("nobody")).Items;
            await store.RateAsync(Items[0].Id, "other-validator", new Rating(RatingTests.AllScores(2), OtherRatersComment));
            await store.RateAsync(Items[5].Id, Roles.Validator, new Rating(RatingTests.AllScores(4), ""));
        }

        public async Task DisposeAsync()
        {
            Validator.Dispose();
            Admin.Dispose();
            await Portal.DisposeAsync();
            reviews.Dispose();
        }
    }

    private static int Count(string html, string pattern) => Regex.Matches(html, pattern).Count;

    [Fact]
    public async Task A_validator_sees_the_oldest_item_in_their_queue_with_the_whole_rubric_and_nothing_that_unblinds_it()
    {
        var html = await app.Validator.GetStringAsync(new Uri("/validation", UriKind.Relative));
        var text = WebUtility.HtmlDecode(html);

        Assert.Matches($"data-testid=\"validation-item\" data-item-id=\"{app.Items[0].Id}\"", html);
        Assert.Contains("data-task=\"summary\"", html, StringComparison.Ordinal);
        Assert.Contains(app.Records[0].PatientPseudonym, text, StringComparison.Ordinal);
        Assert.Matches(@"You have rated 1 output\(s\); 5 waiting in your queue\.", text);
        // Every dimension, 1 to 5, as a labelled radio group with the anchors of 1, 3 and 5.
        Assert.Equal(Rubric.Dimensions.Count * 5, Count(html, "type=\"radio\""));
        foreach (var d in Rubric.Dimensions)
        {
            Assert.Matches($"<legend[^>]*>{Regex.Escape(WebUtility.HtmlEncode(d.Name))}</legend>", html);
            foreach (var (_, anchor) in d.Anchors) Assert.Contains(anchor, text, StringComparison.Ordinal);
            for (var score = 1; score <= 5; score++) Assert.Matches($"<label for=\"score-{d.Key}-{score}\"", html);
        }
        Assert.Contains("data-testid=\"rating-submit\"", html, StringComparison.Ordinal);

        // Blinded: no other rater's rating, no model version, not who asked for the review; no administrator controls.
        Assert.DoesNotContain(OtherRatersComment, text, StringComparison.Ordinal);
        Assert.DoesNotContain(HiddenVersion, text, StringComparison.Ordinal);
        Assert.DoesNotContain("dr-requester", text, StringComparison.Ordinal);
        Assert.DoesNotContain("validation-sample", html, StringComparison.Ordinal);
        Assert.DoesNotContain("validation-export", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_summary_is_shown_with_its_sentences_and_citations_labelled_by_the_cited_chart_entries()
    {
        var html = await app.Validator.GetStringAsync(new Uri($"/validation/{app.Items[0].Id}", UriKind.Relative));
        var review = AuditedOutput.ReadReview(app.Records[0].OutputJson)!;
        var sentences = review.Summary.Summary.Sections.SelectMany(s => s.Sentences).ToList();

        Assert.Equal(sentences.Count, Count(html, "data-testid=\"summary-sentence\""));
        var chips = Regex.Matches(html, "data-testid=\"citation-chip\" data-event-id=\"[^\"]+\"[^>]*>([^<]+)<").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(chips);
        Assert.All(chips, label => Assert.DoesNotMatch("^event ", label)); // labelled from the stored chart entry
    }

    [Fact]
    public async Task The_differential_and_the_evidence_are_shown_read_only_for_their_tasks()
    {
        var review = AuditedOutput.ReadReview(app.Records[0].OutputJson)!;
        var differential = await app.Validator.GetStringAsync(new Uri($"/validation/{app.Items[1].Id}", UriKind.Relative));
        Assert.Contains("data-task=\"differential\"", differential, StringComparison.Ordinal);
        Assert.Equal(review.Differential.Count, Count(differential, "data-testid=\"differential-row\""));
        Assert.Contains(WebUtility.HtmlEncode(review.Differential[0].Name), differential, StringComparison.Ordinal);

        var evidence = await app.Validator.GetStringAsync(new Uri($"/validation/{app.Items[2].Id}", UriKind.Relative));
        Assert.Contains("data-task=\"evidence\"", evidence, StringComparison.Ordinal);
        Assert.Equal(review.Differential.Count, Count(evidence, "data-testid=\"evidence\""));
        Assert.Equal(review.Differential.Sum(c => c.Supporting.Count + c.Refuting.Count), Count(evidence, "data-testid=\"evidence-item\""));
        Assert.DoesNotContain("<button type=\"button\" class=\"expander\"", evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_validator_who_rated_an_item_sees_it_without_a_form()
    {
        var html = await app.Validator.GetStringAsync(new Uri($"/validation/{app.Items[5].Id}", UriKind.Relative));
        Assert.Contains("data-testid=\"already-rated\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("rating-submit", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-testid=\"queue-item\" data-item-id=\"{app.Items[5].Id}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrator_sees_the_queue_the_output_and_the_model_but_rating_is_for_validators()
    {
        var html = await app.Admin.GetStringAsync(new Uri($"/validation/{app.Items[0].Id}", UriKind.Relative));

        Assert.Contains("data-testid=\"validation-item\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"rating-validators-only\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("rating-submit", html, StringComparison.Ordinal);
        Assert.DoesNotContain("type=\"radio\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"validation-sample\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"admin/validation/export.jsonl\"", html, StringComparison.Ordinal);
        Assert.Contains(HiddenVersion, html, StringComparison.Ordinal);
        Assert.Equal(app.Items.Count, Count(html, "data-testid=\"awaiting-item\""));
        Assert.DoesNotContain("data-testid=\"validation-queue\"", html, StringComparison.Ordinal); // administrators have no queue of their own
    }

    [Fact]
    public async Task An_unknown_item_says_so()
    {
        var html = await app.Validator.GetStringAsync(new Uri("/validation/987654", UriKind.Relative));
        Assert.Contains("data-testid=\"item-not-found\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("rating-submit", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_export_streams_the_rated_outputs_as_json_lines_to_an_administrator()
    {
        using var response = await app.Admin.GetAsync(new Uri("/admin/validation/export.jsonl", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jsonl", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("validation-ratings.jsonl", response.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal([app.Items[0].Id, app.Items[5].Id], lines.Select(l => (long)l["itemId"]!));
        Assert.All(lines, l => Assert.Equal(HiddenVersion, (string)l["model"]!["version"]!));
        Assert.Equal(["rater-1", "rater-2"], lines.Select(l => (string)l["ratings"]![0]!["rater"]!));
    }

    [Fact]
    public async Task The_model_version_is_shown_to_validators_when_configured()
    {
        await using var portal = new IdentityTestApp(settings: new Dictionary<string, string?> { ["Validation:ShowModelVersion"] = "true" });
        using var validator = await portal.SignedInClientAsync(Roles.Validator);
        var services = portal.Factory.Services;
        var review = AuditedOutput.ReadReview(app.Records[0].OutputJson)!;
        await services.GetRequiredService<AuditStore>().AppendAsync(ClinicianPortal.CaseReview.AuditedCaseReview.EntryFor(review, "dr-requester") with { Model = AuditedReviews.Model("5.5.5-shown") });
        await services.GetRequiredService<ValidationStore>().SampleAsync();

        var html = await validator.GetStringAsync(new Uri("/validation", UriKind.Relative));

        Assert.Contains("data-testid=\"model-version\"", html, StringComparison.Ordinal);
        Assert.Contains("5.5.5-shown", html, StringComparison.Ordinal);
    }
}
