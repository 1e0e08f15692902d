using System.Globalization;
using ClinicianPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ClinicianPortal.Tests.Browser;

/// <summary>A patient with 10,000 observations: the page must open and stay usable.</summary>
[Collection(LongRecordAppCollection.Name)]
public sealed class LongRecordTests(LongRecordAppFixture app)
{
    [BrowserFact]
    public async Task A_record_of_10000_observations_opens_with_a_grouped_timeline_and_a_filterable_list()
    {
        var page = await app.NewPageAsync();
        await PortalAppFixture.GotoInteractiveAsync(page, "patients");
        await page.Locator("a.patient-link").First.ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=timeline][data-rendered=true]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("event-count")).ToContainTextAsync(" of 10,");
        await Assertions.Expect(page.Locator("figcaption").First).ToContainTextAsync("(grouped per");
        var points = await page.Locator("[data-testid=timeline] .scatterlayer path.point").CountAsync();
        Assert.InRange(points, 1, 2_000);
        // Virtualized: a few dozen rows in the page, not ten thousand.
        Assert.InRange(await page.Locator("[data-testid=event-grid] tbody tr").CountAsync(), 1, 200);
        await PortalAppFixture.ScreenshotAsync(page, "long-record");

        await page.GetByLabel("Contains").FillAsync("Hemoglobin A1c");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=event-grid] .link-button").First).ToContainTextAsync("A1c");
        var counts = (await page.GetByTestId("event-count").InnerTextAsync()).Split(" of ");
        Assert.True(int.Parse(counts[0], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) < int.Parse(counts[1].Split(' ')[0], NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
    }
}
