using ClinicianPortal.Audit;
using ClinicianPortal.Data;
using ClinicianPortal.Identity;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.ModelLifecycle;
using Microsoft.Playwright;

namespace ClinicianPortal.Tests.Browser;

/// <summary>The app with a differential candidate running in shadow beside the curated model, and one sample patient.</summary>
public sealed class ShadowCandidateAppFixture : PortalAppFixture
{
    protected override IReadOnlyList<(string Key, string Value)> AppSettings() => [("ModelGovernance:DifferentialCandidates:0", "0.5")];

    protected override string SampleDataDirectory() => OnePatientSampleDirectory();
}

// Its own app and browser: run after the other browser tests rather than beside them (two cores).
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ShadowCandidateAppCollection : ICollectionFixture<ShadowCandidateAppFixture>
{
    public const string Name = "Portal app with a shadow candidate model";
}

/// <summary>The administrator's model page in chromium: evidence against thresholds, a refused and an accepted promotion.</summary>
[Collection(ShadowCandidateAppCollection.Name)]
public sealed class ModelsPageTests(ShadowCandidateAppFixture app)
{
    [BrowserFact]
    public async Task An_administrator_is_refused_a_promotion_with_the_numbers_then_promotes_the_shadow_model_once_enough_ratings_exist()
    {
        var page = await app.NewPageAsync(role: Roles.Admin);
        await PortalAppFixture.GotoInteractiveAsync(page, "admin/models");
        var shadow = page.GetByTestId("model-version").Filter(new() { Has = page.GetByTestId("model-status").GetByText("shadow", new() { Exact = true }) });
        await Assertions.Expect(shadow).ToHaveCountAsync(1);
        var version = await shadow.GetAttributeAsync("data-version");
        Assert.EndsWith(".est50", version, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("model-version").Filter(new() { Has = page.GetByText("approved", new() { Exact = true }) })).ToHaveCountAsync(1);

        // No ratings yet: refused, with the numbers.
        await shadow.GetByTestId("promote-pilot").ClickAsync();
        await Assertions.Expect(shadow.GetByTestId("confirm-panel")).ToContainTextAsync("Promote differential-kb");
        await shadow.GetByTestId("confirm-change").ClickAsync();
        await Assertions.Expect(page.GetByTestId("change-result")).ToContainTextAsync("not changed to pilot");
        await Assertions.Expect(page.GetByTestId("refusal-reason").First).ToHaveTextAsync("rated outputs (each by ≥ 2 validators): 0, minimum 20");
        await Assertions.Expect(shadow.GetByTestId("model-status")).ToHaveTextAsync("shadow");

        // Two validators rate 20 of its outputs (written straight into the app's database), then the promotion goes through.
        await using (var dialect = new SqliteDialect($"Data Source={app.AppDatabasePath}"))
            await ValidationSeed.RateAsync(dialect.CreateConnection, "differential-kb", version!, outputs: 20, score: 4);
        await PortalAppFixture.GotoInteractiveAsync(page, "admin/models");
        var candidate = page.Locator($"[data-testid=model-version][data-version='{version}']");
        await Assertions.Expect(candidate.GetByTestId("evidence")).ToContainTextAsync("minimum 20");
        await candidate.GetByTestId("promote-pilot").ClickAsync();
        await candidate.GetByTestId("confirm-change").ClickAsync();

        await Assertions.Expect(page.GetByTestId("change-result")).ToContainTextAsync("shadow → pilot");
        await Assertions.Expect(candidate.GetByTestId("model-status")).ToHaveTextAsync("pilot");
        await candidate.GetByTestId("model-card-toggle").ClickAsync();
        await Assertions.Expect(candidate.GetByTestId("model-card")).ToContainTextAsync("Out-of-scope uses");
        await Assertions.Expect(candidate.GetByTestId("card-validation-results")).ToContainTextAsync("20 rated by at least two validators");
        await PortalAppFixture.ScreenshotAsync(page, "admin-models");

        await using (var dialect = new SqliteDialect($"Data Source={app.AppDatabasePath}"))
        {
            var audit = new AuditStore(dialect, new PatientStore(dialect), TimeProvider.System);
            var change = Assert.Single((await audit.PageAsync(0, 50)).Items, r => r.Kind == "model-status-change");
            Assert.Equal(("admin", version), (change.UserName, change.Model.Version));
            Assert.Contains("\"to\":\"pilot\"", change.OutputJson, StringComparison.Ordinal);
            var verification = await audit.VerifyAsync();
            Assert.True(verification.Intact, verification.Reason);
        }
    }

    [BrowserFact]
    public async Task A_physician_reads_the_model_card_of_the_approved_model_from_the_case_review()
    {
        var page = await app.NewPageAsync(role: Roles.Physician);
        await PortalAppFixture.GotoInteractiveAsync(page, "patients");
        var patient = await page.Locator("a.patient-link").First.GetAttributeAsync("href");
        await PortalAppFixture.GotoInteractiveAsync(page, patient!);
        await page.GetByTestId("review-case").ClickAsync();
        var link = page.GetByTestId("model-card-link");
        await Assertions.Expect(link).ToHaveCountAsync(1); // the approved model only: the shadow review is not shown
        var href = await link.GetAttributeAsync("href");
        Assert.DoesNotContain("est50", href, StringComparison.Ordinal);

        await PortalAppFixture.GotoInteractiveAsync(page, href!);
        await Assertions.Expect(page.GetByTestId("model-card-status")).ToHaveTextAsync("approved");
        await Assertions.Expect(page.GetByTestId("model-card")).ToContainTextAsync("Intended use");
        await Assertions.Expect(page.GetByTestId("model-card")).ToContainTextAsync("likelihood-ratio weights are published");
    }
}
