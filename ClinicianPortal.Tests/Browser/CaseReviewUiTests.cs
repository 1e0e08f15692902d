using ClinicianPortal.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace ClinicianPortal.Tests.Browser;

/// <summary>The case review on the patient page, in headless chromium against the real app and model.</summary>
[Collection(PortalAppCollection.Name)]
public sealed class CaseReviewUiTests(PortalAppFixture app)
{
    [BrowserFact]
    public async Task A_physician_reviews_an_emergency_patient_expands_the_top_candidate_and_follows_a_citation_to_its_chart_entry()
    {
        var page = await app.NewPageAsync(height: 1000);
        await PortalAppFixture.GotoInteractiveAsync(page, "patients");
        await Assertions.Expect(page.Locator("a.patient-link").First).ToBeVisibleAsync();
        var patientId = await EmergencyPatientWithDDimerAsync();

        await PortalAppFixture.GotoInteractiveAsync(page, "patients/" + patientId);
        var panel = page.GetByRole(AriaRole.Region, new() { Name = "Case review" });
        await panel.GetByRole(AriaRole.Button, new() { Name = "Review case" }).ClickAsync();

        var rows = panel.GetByTestId("differential-row");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        await Assertions.Expect(rows.First.GetByTestId("probability")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^(<1|\d{1,3})%$"));
        await Assertions.Expect(panel.GetByTestId("provenance")).ToContainTextAsync("Audit record #");
        Assert.True(await panel.GetByTestId("summary-sentence").CountAsync() > 0);

        var toggle = rows.First.GetByTestId("evidence-toggle");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        var evidence = panel.GetByTestId("evidence");
        await Assertions.Expect(evidence.GetByTestId("evidence-item").First).ToBeVisibleAsync();
        await PortalAppFixture.ScreenshotAsync(page, "case-review");
        await panel.ScreenshotAsync(new() { Path = Path.Combine(TestEnvironment.ArtifactsDirectory("screenshots"), "case-review-panel.png") });

        // A citation highlights its chart entry; the entry's details are one click further.
        var chip = evidence.GetByTestId("citation-chip").First;
        var eventId = await chip.GetAttributeAsync("data-event-id");
        await chip.ClickAsync();
        Assert.False(string.IsNullOrEmpty(eventId));
        await Assertions.Expect(page.Locator($"tr[data-event-id=\"{eventId}\"][data-highlighted=\"true\"]")).ToBeInViewportAsync();
        await page.GetByTestId("highlight-open").ClickAsync();
        var details = page.GetByTestId("event-details");
        await Assertions.Expect(details).ToContainTextAsync(eventId); // that very chart entry
        await PortalAppFixture.ScreenshotAsync(page, "case-review-citation");
    }

    /// <summary>An acute sample patient: an emergency encounter and a D-dimer (the pulmonary-embolism presentations).</summary>
    private async Task<string> EmergencyPatientWithDDimerAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={app.AppDatabasePath};Mode=ReadOnly;Pooling=False");
        var id = await connection.QueryFirstOrDefaultAsync<string>(
            """
            SELECT d.patient_id FROM events d
            WHERE d.code = '48065-7' AND EXISTS (SELECT 1 FROM events e WHERE e.patient_id = d.patient_id AND e.kind = 'Encounter' AND e.category = 'EMER')
            ORDER BY d.patient_id LIMIT 1
            """);
        Assert.True(id is not null, "the sample data holds no emergency presentation with a D-dimer");
        return id;
    }
}
