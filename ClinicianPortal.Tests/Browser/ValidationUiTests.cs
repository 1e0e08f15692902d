using ClinicianPortal.Audit;
using ClinicianPortal.Data;
using ClinicianPortal.Identity;
using ClinicianPortal.Shared.Governance.Validation;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.Reasoning.Orchestration;
using ClinicianPortal.Tests.Validation;
using ClinicianPortal.Validation;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace ClinicianPortal.Tests.Browser;

/// <summary>The validation queue in chromium: an administrator samples, two validators rate the same output through the form.</summary>
[Collection(PortalAppCollection.Name)]
public sealed class ValidationUiTests(PortalAppFixture app, CaseReviewFixture reviews) : IClassFixture<CaseReviewFixture>
{
    private const string SecondValidator = "validator2";
    private const string Version = "browser-validation-1";

    [BrowserFact]
    public async Task Two_validators_each_rate_the_same_output_and_it_then_leaves_both_queues()
    {
        long recordId;
        await using (var dialect = new SqliteDialect($"Data Source={app.AppDatabasePath}"))
        {
            var schema = new PatientStore(dialect);
            var review = await AuditedReviews.ReviewAsync(reviews);
            recordId = (await AuditedReviews.AppendAsync(new AuditStore(dialect, schema, TimeProvider.System), review, AuditedReviews.Model(Version)))[0].Id;
            await new UserStore(dialect, schema).CreateAsync(SecondValidator, Roles.Validator, SignInService.HashPassword(PortalAppFixture.DemoPassword));
        }

        // The administrator samples the audit trail from the page.
        var admin = await app.NewPageAsync(role: Roles.Admin);
        await PortalAppFixture.GotoInteractiveAsync(admin, "validation");
        await admin.GetByTestId("validation-sample").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("sample-result")).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByTestId("stratum").Filter(new() { HasText = Version })).ToHaveCountAsync(3);
        await Assertions.Expect(admin.GetByTestId("validation-export")).ToHaveAttributeAsync("href", "admin/validation/export.jsonl");
        await PortalAppFixture.ScreenshotAsync(admin, "validation-admin");
        var itemId = await ItemAsync(recordId, ValidationTask.Differential);

        // The first validator submits too early: told what is missing, nothing chosen or typed is lost.
        var first = await app.NewPageAsync(height: 1000, role: Roles.Validator);
        await PortalAppFixture.GotoInteractiveAsync(first, $"validation/{itemId}");
        await Assertions.Expect(first.GetByTestId("validation-item")).ToHaveAttributeAsync("data-item-id", itemId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(first.GetByTestId("differential-row").First).ToBeVisibleAsync();
        await Assertions.Expect(first.GetByText(Version)).ToHaveCountAsync(0); // blinded
        await first.GetByTestId("rating-cited-5").CheckAsync();
        await first.GetByTestId("rating-accurate-4").CheckAsync();
        await first.GetByTestId("rating-comment").FillAsync("Ranks the embolism first; fine.");
        await first.GetByTestId("rating-submit").ClickAsync();
        await Assertions.Expect(first.GetByTestId("rating-error")).ToContainTextAsync("Potential for harm");
        await Assertions.Expect(first.GetByTestId("rating-cited-5")).ToBeCheckedAsync();
        await Assertions.Expect(first.GetByTestId("rating-comment")).ToHaveValueAsync("Ranks the embolism first; fine.");
        await PortalAppFixture.ScreenshotAsync(first, "validation-rating-incomplete");
        await RateRestAsync(first, 4);
        await first.GetByTestId("rating-submit").ClickAsync();
        await Assertions.Expect(first.GetByTestId("rating-saved")).ToContainTextAsync($"#{itemId}");
        await Assertions.Expect(QueueItem(first, itemId)).ToHaveCountAsync(0);

        // Still in the second validator's queue (one rating of two); they rate it too.
        var second = await app.NewPageAsync(height: 1000, role: null);
        await PortalAppFixture.SignInAsync(second, SecondValidator);
        await PortalAppFixture.GotoInteractiveAsync(second, "validation");
        await Assertions.Expect(QueueItem(second, itemId)).ToHaveCountAsync(1);
        await QueueItem(second, itemId).GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(second.GetByTestId("validation-item")).ToHaveAttributeAsync("data-item-id", itemId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(second.GetByText("Ranks the embolism first")).ToHaveCountAsync(0); // never another rater's rating
        await RateRestAsync(second, 2);
        await second.GetByTestId("rating-submit").ClickAsync();
        await Assertions.Expect(second.GetByTestId("rating-saved")).ToContainTextAsync($"#{itemId}");

        // Two ratings: out of both queues, and stored as given.
        foreach (var page in new[] { first, second })
        {
            await PortalAppFixture.GotoInteractiveAsync(page, "validation");
            await Assertions.Expect(page.GetByTestId("validation-progress")).ToBeVisibleAsync();
            await Assertions.Expect(QueueItem(page, itemId)).ToHaveCountAsync(0);
        }
        await using var connection = new SqliteConnection($"Data Source={app.AppDatabasePath};Mode=ReadOnly;Pooling=False");
        var stored = (await connection.QueryAsync<(string Rater, string Comment, long Scores, long Cited)>(
            """
            SELECT r.rater, r.comment, (SELECT COUNT(*) FROM validation_scores s WHERE s.rating_id = r.id),
                   (SELECT score FROM validation_scores s WHERE s.rating_id = r.id AND s.dimension = 'cited')
            FROM validation_ratings r WHERE r.item_id = @Item ORDER BY r.id
            """, new { Item = itemId })).ToList();
        Assert.Equal([(Roles.Validator, "Ranks the embolism first; fine.", 10L, 5L), (SecondValidator, "", 10L, 2L)], stored);
    }

    [BrowserFact]
    public async Task A_rating_the_database_refuses_keeps_every_choice_and_the_comment_and_saves_on_retry()
    {
        long itemId;
        await using (var dialect = new SqliteDialect($"Data Source={app.AppDatabasePath}"))
        {
            var schema = new PatientStore(dialect);
            var review = await AuditedReviews.ReviewAsync(reviews);
            var record = (await AuditedReviews.AppendAsync(new AuditStore(dialect, schema, TimeProvider.System), review, AuditedReviews.Model("browser-validation-2")))[0];
            await new ValidationStore(dialect, schema, new ValidationOptions(), TimeProvider.System).SampleAsync();
            itemId = await ItemAsync(record.Id, ValidationTask.Evidence);
        }
        var page = await app.NewPageAsync(height: 1000, role: Roles.Validator);
        await PortalAppFixture.GotoInteractiveAsync(page, $"validation/{itemId}");
        await Assertions.Expect(page.GetByTestId("evidence").First).ToBeVisibleAsync();
        await RateRestAsync(page, 3);
        await page.GetByTestId("rating-harm-1").CheckAsync();
        await page.GetByTestId("rating-comment").FillAsync("Evidence is cited and weighed.");

        await ExecuteAsync("CREATE TRIGGER validation_refuses BEFORE INSERT ON validation_ratings BEGIN SELECT RAISE(ABORT, 'disk full'); END");
        try
        {
            await page.GetByTestId("rating-submit").ClickAsync();
            await Assertions.Expect(page.GetByTestId("rating-error")).ToContainTextAsync("could not be saved");
        }
        finally
        {
            await ExecuteAsync("DROP TRIGGER validation_refuses");
        }
        await Assertions.Expect(page.GetByTestId("rating-harm-1")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByTestId("rating-useful-3")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByTestId("rating-comment")).ToHaveValueAsync("Evidence is cited and weighed.");

        await page.GetByTestId("rating-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("rating-saved")).ToContainTextAsync($"#{itemId}");
        await using var connection = new SqliteConnection($"Data Source={app.AppDatabasePath};Mode=ReadOnly;Pooling=False");
        Assert.Equal("Evidence is cited and weighed.", await connection.QuerySingleAsync<string>(
            "SELECT comment FROM validation_ratings WHERE item_id = @Item AND rater = @Rater", new { Item = itemId, Rater = Roles.Validator }));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={app.AppDatabasePath};Pooling=False");
        await connection.ExecuteAsync(sql);
    }

    private static ILocator QueueItem(IPage page, long itemId) => page.Locator($"[data-testid=queue-item][data-item-id='{itemId}']");

    /// <summary>Scores every dimension not yet chosen.</summary>
    private static async Task RateRestAsync(IPage page, int score)
    {
        foreach (var d in Rubric.Dimensions)
        {
            var group = page.GetByTestId($"dimension-{d.Key}");
            if (await group.Locator("input:checked").CountAsync() == 0) await page.GetByTestId($"rating-{d.Key}-{score}").CheckAsync();
        }
    }

    private async Task<long> ItemAsync(long auditRecordId, ValidationTask task)
    {
        await using var connection = new SqliteConnection($"Data Source={app.AppDatabasePath};Mode=ReadOnly;Pooling=False");
        return await connection.QuerySingleAsync<long>("SELECT id FROM validation_items WHERE audit_record_id = @Id AND task = @Task",
            new { Id = auditRecordId, Task = StratifiedSampler.TaskKey(task) });
    }
}
