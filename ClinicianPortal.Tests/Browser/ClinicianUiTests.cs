using System.Text.RegularExpressions;
using ClinicianPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ClinicianPortal.Tests.Browser;

/// <summary>The clinician's paths through the real app in headless chromium. Each test leaves a screenshot.</summary>
[Collection(PortalAppCollection.Name)]
public sealed class ClinicianUiTests(PortalAppFixture app)
{
    [BrowserFact]
    public async Task Patient_list_shows_the_imported_patients_filters_them_and_links_to_each()
    {
        var page = await app.NewPageAsync();
        await PortalAppFixture.GotoInteractiveAsync(page, "patients");

        var links = page.Locator("a.patient-link");
        await Assertions.Expect(links.First).ToBeVisibleAsync();
        Assert.True(await links.CountAsync() > 0);
        Assert.Matches("^patients/[^/]+$", await links.First.GetAttributeAsync("href") ?? "");

        await page.GetByLabel("Sex").SelectOptionAsync("female");
        // Wait for the filtered result itself: the search may not have started when the select returns.
        var sexColumn = page.Locator("[data-testid=patient-grid] tbody tr td:nth-child(3)");
        await Assertions.Expect(sexColumn.Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex(@"^\s*male\s*$") })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("patient-count")).Not.ToHaveTextAsync("Searching…");
        var sexes = await sexColumn.AllInnerTextsAsync();
        Assert.Contains(sexes, s => s.Trim() == "female");
        Assert.All(sexes.Where(s => s.Trim().Length > 0), s => Assert.Equal("female", s.Trim()));

        await PortalAppFixture.ScreenshotAsync(page, "patient-list");
    }

    [BrowserFact]
    public async Task Patient_page_shows_the_header_and_the_timeline_and_opens_event_details_with_source_json()
    {
        var page = await app.NewPageAsync();
        await OpenFirstPatientAsync(page);

        await Assertions.Expect(page.GetByTestId("active-problems")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("allergies")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=timeline][data-rendered=true]")).ToBeVisibleAsync();
        Assert.True(await page.Locator("[data-testid=timeline] .scatterlayer .trace").CountAsync() >= 2, "one trace per event kind");

        // Keyboard path to an event: the list view, not the chart.
        await page.Locator("[data-testid=event-grid] .link-button").First.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var details = page.GetByTestId("event-details");
        await Assertions.Expect(details).ToBeVisibleAsync();
        await details.GetByText("Source FHIR resource (de-identified)").ClickAsync();
        await Assertions.Expect(details.GetByTestId("event-source")).ToContainTextAsync("\"resourceType\"");

        await PortalAppFixture.ScreenshotAsync(page, "event-details");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(details).ToBeHiddenAsync();
        // Keyboard users continue where they were.
        await Assertions.Expect(page.Locator("[data-testid=event-grid] .link-button").First).ToBeFocusedAsync();
        await PortalAppFixture.ScreenshotAsync(page, "patient-page");
    }

    [BrowserFact]
    public async Task Clicking_a_timeline_point_opens_that_event()
    {
        var page = await app.NewPageAsync();
        await OpenFirstPatientAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=timeline][data-rendered=true]")).ToBeVisibleAsync();

        // Problems are few, so drawn one point per event.
        var point = page.Locator("[data-testid=timeline] .scatterlayer .trace").Nth(1).Locator("path.point").First;
        var box = await point.BoundingBoxAsync() ?? throw new InvalidOperationException("no timeline point drawn");
        await page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);

        await Assertions.Expect(page.GetByTestId("event-details")).ToBeVisibleAsync();
        await PortalAppFixture.ScreenshotAsync(page, "timeline-click");
    }

    [BrowserFact]
    public async Task A_lab_trend_chart_draws_the_chosen_series()
    {
        var page = await app.NewPageAsync();
        await OpenFirstPatientAsync(page);
        var chooser = page.GetByLabel("Series");
        var labOption = chooser.Locator("optgroup[label=Labs] option").First;
        var value = await labOption.GetAttributeAsync("value") ?? throw new InvalidOperationException("the patient has no labs");
        var label = Regex.Replace(await labOption.InnerTextAsync(), @" \(\d+\)$", "");

        await chooser.SelectOptionAsync(value);

        var chart = page.Locator("[data-testid=trend-chart][data-rendered=true]");
        await Assertions.Expect(chart).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=trend-chart] + figcaption, figure:has([data-testid=trend-chart]) figcaption")).ToContainTextAsync(label);
        Assert.True(await page.Locator("[data-testid=trend-chart] .scatterlayer .trace .point").CountAsync() > 0);
        await chart.ScrollIntoViewIfNeededAsync();
        await PortalAppFixture.ScreenshotAsync(page, "lab-trend");
    }

    [BrowserFact]
    public async Task Importing_a_bundle_through_the_page_shows_each_files_result_and_rejects_a_bad_file_with_its_reason()
    {
        var bundle = Directory.GetFiles(TestEnvironment.SharedData("synthea"), "*.json").OrderBy(f => new FileInfo(f).Length).First();
        var bad = Path.Combine(Directory.CreateTempSubdirectory("clinicianportal-bad-").FullName, "broken.json");
        await File.WriteAllTextAsync(bad, """{"resourceType": "Bundle", "entry": [ """);
        var page = await app.NewPageAsync(role: ClinicianPortal.Identity.Roles.Admin);
        await PortalAppFixture.GotoInteractiveAsync(page, "import");

        await page.GetByLabel("Files to import").SetInputFilesAsync([bundle, bad]);
        await page.GetByTestId("import-start").ClickAsync();

        var results = page.GetByTestId("import-result");
        await Assertions.Expect(results).ToHaveCountAsync(2, new() { Timeout = 60_000 });
        await Assertions.Expect(results.Filter(new() { HasText = Path.GetFileName(bundle) })).ToContainTextAsync("Imported");
        await Assertions.Expect(results.Filter(new() { HasText = "broken.json" })).ToContainTextAsync("Rejected");
        await PortalAppFixture.ScreenshotAsync(page, "import");
    }

    [BrowserFact]
    public async Task The_skip_link_is_the_first_stop_and_the_patient_page_fits_a_tablet()
    {
        var page = await app.NewPageAsync(768, 1024);
        await PortalAppFixture.GotoInteractiveAsync(page, "patients");
        await Assertions.Expect(page.Locator("a.patient-link").First).ToBeVisibleAsync();

        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator(":focus")).ToHaveTextAsync("Skip to content");

        await OpenFirstPatientAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=timeline][data-rendered=true]")).ToBeVisibleAsync();
        await PortalAppFixture.ScreenshotAsync(page, "patient-page-tablet");
        var pageWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(pageWidth <= 768, $"the page scrolls sideways at tablet width ({pageWidth} px wide)");
    }

    private static async Task OpenFirstPatientAsync(IPage page)
    {
        if (!page.Url.EndsWith("/patients", StringComparison.Ordinal)) await PortalAppFixture.GotoInteractiveAsync(page, "patients");
        var link = page.Locator("a.patient-link").First;
        var id = await link.InnerTextAsync();
        await link.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(id);
    }
}
