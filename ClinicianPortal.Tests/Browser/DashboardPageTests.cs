using ClinicianPortal.Data;
using ClinicianPortal.Identity;
using ClinicianPortal.Tests.Dashboards;
using ClinicianPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ClinicianPortal.Tests.Browser;

/// <summary>The administrator's validation dashboard in chromium.</summary>
[Collection(PortalAppCollection.Name)]
public sealed class DashboardPageTests(PortalAppFixture app)
{
    [BrowserFact]
    public async Task An_administrator_picks_a_model_version_and_sees_its_scores_and_charts()
    {
        await using (var dialect = new SqliteDialect($"Data Source={app.AppDatabasePath}"))
            await DashboardData.SeedAsync(dialect, new PatientStore(dialect));

        var page = await app.NewPageAsync(role: Roles.Admin);
        await PortalAppFixture.GotoInteractiveAsync(page, "patients");
        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Validation dashboard" })).ToBeVisibleAsync();

        await page.GetByTestId("dashboard-version").SelectOptionAsync(new SelectOptionValue { Label = $"{DashboardData.ModelId} {DashboardData.Version}" });
        await Assertions.Expect(page.GetByTestId("mean-accurate")).ToHaveTextAsync("3.67");
        await Assertions.Expect(page.GetByTestId("ci-accurate")).ToHaveTextAsync("1.95 – 5.00");
        await Assertions.Expect(page.GetByTestId("harm-flagged")).ToHaveTextAsync("1 of 4");
        foreach (var chart in new[] { "means-chart", "trend-chart", "verdict-chart" })
            await Assertions.Expect(page.Locator($"[data-testid={chart}][data-rendered=true] .main-svg").First).ToBeAttachedAsync();

        // The task picker narrows to the differential outputs: 4 sampled, 3 rated.
        await page.GetByTestId("dashboard-task").SelectOptionAsync("differential");
        await Assertions.Expect(page.GetByTestId("dashboard-sampled")).ToHaveTextAsync("4");
        await Assertions.Expect(page.GetByTestId("mean-accurate")).ToHaveTextAsync("3.89");
        await PortalAppFixture.ScreenshotAsync(page, "dashboard");

        // A deep link (as from a model card) opens on that version and task.
        await PortalAppFixture.GotoInteractiveAsync(page, $"admin/dashboard?model={DashboardData.ModelId}&version={DashboardData.OlderVersion}&task=differential");
        await Assertions.Expect(page.GetByTestId("dashboard-task")).ToHaveValueAsync("differential");
        await Assertions.Expect(page.GetByTestId("mean-accurate")).ToHaveTextAsync("1.00");
        await Assertions.Expect(page.GetByTestId("harm-flagged")).ToHaveTextAsync("1 of 1");
    }
}
