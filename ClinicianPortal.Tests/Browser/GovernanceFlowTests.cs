using ClinicianPortal.Data;
using ClinicianPortal.Identity;
using ClinicianPortal.Shared.Governance.Validation;
using ClinicianPortal.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace ClinicianPortal.Tests.Browser;

/// <summary>
/// One sample patient, the curated differential approved and a candidate in shadow, one sampled output per stratum and a
/// pilot bar of one output rated by two validators: small enough for the whole governance loop in one browser test.
/// </summary>
public sealed class GovernanceFlowAppFixture : PortalAppFixture
{
    protected override IReadOnlyList<(string Key, string Value)> AppSettings() =>
    [
        ("ModelGovernance:DifferentialCandidates:0", "0.5"),
        ("ModelGovernance:Pilot:MinimumRatedOutputs", "1"),
        ("Validation:PerStratum", "1"),
    ];

    protected override string SampleDataDirectory() => OnePatientSampleDirectory();
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GovernanceFlowAppCollection : ICollectionFixture<GovernanceFlowAppFixture>
{
    public const string Name = "Portal app for the governance flow";
}

/// <summary>
/// The human-in-the-loop cycle across the four roles, in headless chromium against the real app and models: a physician
/// reviews a case, the care team annotates it, two validators rate the sampled outputs blinded, and the administrator reads
/// the dashboard and promotes the shadow model on that evidence.
/// </summary>
[Collection(GovernanceFlowAppCollection.Name)]
public sealed class GovernanceFlowTests(GovernanceFlowAppFixture app)
{
    private const string SecondValidator = "validator2";

    [BrowserFact]
    public async Task A_physician_reviews_the_care_team_annotates_two_validators_rate_and_the_admin_promotes_on_the_dashboard_evidence()
    {
        // Physician: reviews the case; the approved model's review is shown, the shadow model's is only audited.
        var physician = await app.NewPageAsync(height: 1000, role: Roles.Physician);
        await PortalAppFixture.GotoInteractiveAsync(physician, "patients");
        var patient = await physician.Locator("a.patient-link").First.GetAttributeAsync("href");
        await PortalAppFixture.GotoInteractiveAsync(physician, patient!);
        await physician.GetByTestId("review-case").ClickAsync();
        await Assertions.Expect(physician.GetByTestId("differential-row").First).ToBeVisibleAsync();
        var shown = await physician.GetByTestId("model-card-link").GetAttributeAsync("href");
        Assert.DoesNotContain("est50", shown, StringComparison.Ordinal);
        var shadowVersion = await ShadowOutputVersionAsync();

        // Care team: reviews the same case and marks the leading diagnosis helpful.
        var nurse = await app.NewPageAsync(height: 1000, role: Roles.CareTeam);
        await PortalAppFixture.GotoInteractiveAsync(nurse, patient!);
        await nurse.GetByTestId("review-case").ClickAsync();
        var entry = nurse.GetByTestId("differential-row").First.GetByTestId("annotation");
        await Assertions.Expect(entry).ToBeVisibleAsync();
        await entry.GetByTestId("annotate-toggle").ClickAsync();
        await entry.GetByTestId("annotation-verdict-helpful").CheckAsync();
        await entry.GetByTestId("annotation-comment-input").FillAsync("Matches the CT pulmonary angiogram plan.");
        await entry.GetByTestId("annotation-save").ClickAsync();
        await Assertions.Expect(entry.GetByTestId("annotation-thread")).ToHaveCountAsync(1);

        // Admin: samples the audit trail into the validation queue (one output per model version and task).
        var admin = await app.NewPageAsync(height: 1000, role: Roles.Admin);
        await PortalAppFixture.GotoInteractiveAsync(admin, "validation");
        await admin.GetByTestId("validation-sample").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("sample-result")).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByTestId("stratum").Filter(new() { HasText = shadowVersion })).ToHaveCountAsync(3);

        // Two validators rate every queued output, blinded to the model version.
        await using (var dialect = new SqliteDialect($"Data Source={app.AppDatabasePath}"))
            await new UserStore(dialect, new PatientStore(dialect)).CreateAsync(SecondValidator, Roles.Validator, SignInService.HashPassword(PortalAppFixture.DemoPassword));
        var first = await app.NewPageAsync(height: 1000, role: Roles.Validator);
        var second = await app.NewPageAsync(height: 1000, role: null);
        await PortalAppFixture.SignInAsync(second, SecondValidator);
        var rated = 0;
        foreach (var validator in new[] { first, second })
            rated += await RateWholeQueueAsync(validator, shadowVersion);
        Assert.Equal(12, rated); // 2 versions × 3 tasks, each by both

        // Admin: the dashboard shows the shadow model's evidence, then the promotion to pilot goes through.
        await PortalAppFixture.GotoInteractiveAsync(admin, $"admin/dashboard?model=differential-kb&version={Uri.EscapeDataString(shadowVersion)}&task=differential");
        await Assertions.Expect(admin.GetByTestId("dashboard-fully-rated")).ToHaveTextAsync("1");
        await Assertions.Expect(admin.GetByTestId("mean-accurate")).ToHaveTextAsync("4.00");
        await Assertions.Expect(admin.GetByTestId("harm-flagged")).ToHaveTextAsync("0 of 1");
        await Assertions.Expect(admin.Locator("[data-testid=means-chart][data-rendered=true]")).ToHaveCountAsync(1);
        await PortalAppFixture.ScreenshotAsync(admin, "flow-dashboard");

        await PortalAppFixture.GotoInteractiveAsync(admin, "admin/models");
        var candidate = admin.Locator($"[data-testid=model-version][data-version='{shadowVersion}']");
        await Assertions.Expect(candidate.GetByTestId("model-status")).ToHaveTextAsync("shadow");
        await candidate.GetByTestId("promote-pilot").ClickAsync();
        await candidate.GetByTestId("confirm-change").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("change-result")).ToContainTextAsync("shadow → pilot");
        await Assertions.Expect(candidate.GetByTestId("model-status")).ToHaveTextAsync("pilot");
        await PortalAppFixture.ScreenshotAsync(admin, "flow-models");

        // Everything that happened is in the audit trail: the reviews of both models and the promotion, on an intact chain.
        await using var connection = new SqliteConnection($"Data Source={app.AppDatabasePath};Mode=ReadOnly;Pooling=False");
        var kinds = (await connection.QueryAsync<(string Kind, string User)>("SELECT kind, user_name FROM audit_records ORDER BY id")).ToList();
        Assert.Contains(("case-review", Roles.Physician), kinds);
        Assert.Contains(("case-review", Roles.CareTeam), kinds);
        Assert.Contains(("model-status-change", Roles.Admin), kinds);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM annotations WHERE verdict = 'helpful' AND author = @Author", new { Author = Roles.CareTeam }));
    }

    /// <summary>Rates every item of the page's validator's queue (4 on every dimension, no harm); returns how many.</summary>
    private static async Task<int> RateWholeQueueAsync(IPage page, string hiddenVersion)
    {
        var rated = 0;
        for (; ; rated++)
        {
            await PortalAppFixture.GotoInteractiveAsync(page, "validation");
            await Assertions.Expect(page.GetByTestId("validation-progress")).ToBeVisibleAsync();
            var item = page.GetByTestId("queue-item");
            if (await item.CountAsync() == 0) return rated;
            Assert.True(rated < 20, "the queue does not empty");
            var id = await item.First.GetAttributeAsync("data-item-id");
            await PortalAppFixture.GotoInteractiveAsync(page, $"validation/{id}");
            await Assertions.Expect(page.GetByTestId("rating-form")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByText(hiddenVersion)).ToHaveCountAsync(0); // blinded
            foreach (var dimension in Rubric.Dimensions)
                await page.GetByTestId($"rating-{dimension.Key}-{(dimension.Key == Rubric.Harm ? 1 : 4)}").CheckAsync();
            await page.GetByTestId("rating-submit").ClickAsync();
            await Assertions.Expect(page.GetByTestId("rating-saved")).ToContainTextAsync($"#{id}");
        }
    }

    /// <summary>The shadow model reviews after the physician's review is returned: waits for its audited output.</summary>
    private async Task<string> ShadowOutputVersionAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={app.AppDatabasePath};Mode=ReadOnly;Pooling=False");
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var version = await connection.QueryFirstOrDefaultAsync<string>(
                "SELECT model_version FROM audit_records WHERE kind = 'case-review' AND model_version LIKE '%est50' LIMIT 1");
            if (version is not null) return version;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException("the shadow model's review was never audited");
    }
}
