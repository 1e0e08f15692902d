using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ClinicianPortal.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace ClinicianPortal.Tests.Browser;

/// <summary>
/// End to end, in headless chromium against the real app, model and seeded sample data: a physician opens an acute
/// sample patient whose diagnosis is known (MANIFEST.json), runs the case review, finds that diagnosis in the top
/// three, and follows a supporting chart citation to its highlighted entry in the event list and the timeline.
/// </summary>
[Collection(PortalAppCollection.Name)]
public sealed class SamplePatientReviewTests(PortalAppFixture app)
{
    private static readonly string SampleData = Path.Combine(TestEnvironment.RepositoryRoot, "ClinicianPortal", "SampleData");

    /// <summary>One sample of each acute scenario: the file, the known diagnosis's display and its condition id.</summary>
    public static TheoryData<string, string, string> AcuteScenarios() => new()
    {
        { "patient-0007-acute-coronary-syndrome.json", "Acute non-ST segment elevation myocardial infarction", "acute-myocardial-infarction" },
        { "patient-0022-pulmonary-embolism.json", "Pulmonary embolism", "pulmonary-embolism" },
        { "patient-0008-community-acquired-pneumonia.json", "Community acquired pneumonia", "community-acquired-pneumonia" },
        { "patient-0009-sepsis.json", "Sepsis", "sepsis" },
        { "patient-0011-acute-kidney-injury.json", "Acute kidney injury", "acute-kidney-injury" },
        { "patient-0012-upper-gi-bleed.json", "Upper gastrointestinal hemorrhage", "upper-gi-bleeding" },
    };

    [BrowserTheory]
    [MemberData(nameof(AcuteScenarios))]
    public async Task A_physician_finds_the_known_diagnosis_in_the_top_three_and_a_supporting_citation_highlights_its_chart_entry(
        string file, string diagnosis, string conditionId)
    {
        Assert.Equal(diagnosis, WorkingDiagnosisOf(file));
        var patientId = await AppPatientIdAsync(file);
        var events = await EventIdsAsync(patientId);
        var condition = ClinicianPortal.Shared.Knowledge.KnowledgeBase.LoadEmbedded().Condition(conditionId)!;

        var page = await app.NewPageAsync(height: 1000);
        await PortalAppFixture.GotoInteractiveAsync(page, "patients/" + patientId);
        var panel = page.GetByRole(AriaRole.Region, new() { Name = "Case review" });
        await panel.GetByRole(AriaRole.Button, new() { Name = "Review case" }).ClickAsync();
        var rows = panel.GetByTestId("differential-row");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();

        // The known diagnosis is among the first three rows.
        var top3 = new List<string>();
        for (var i = 0; i < 3; i++) top3.Add((await rows.Nth(i).Locator("th.condition").InnerTextAsync()).Trim());
        var rank = top3.FindIndex(name => name.StartsWith(condition.Name, StringComparison.Ordinal));
        Assert.True(rank >= 0, $"{condition.Name} is not in the top three: {string.Join(" | ", top3)}");

        // Its supporting evidence cites real entries of this patient.
        var row = rows.Nth(rank);
        await row.GetByTestId("evidence-toggle").ClickAsync();
        var evidence = panel.GetByTestId("evidence");
        await Assertions.Expect(evidence.GetByTestId("supporting-passages")).ToBeVisibleAsync();
        var supports = evidence.Locator(".evidence-list").First;
        var chips = supports.GetByTestId("citation-chip");
        Assert.True(await chips.CountAsync() > 0, "no chart citation supports " + condition.Name);
        var cited = await chips.EvaluateAllAsync<string[]>("chips => chips.map(c => c.dataset.eventId)");
        Assert.All(cited, id => Assert.Contains(id, events));

        // Clicking one highlights that entry: announced, marked and scrolled into view in the list, ringed in the timeline.
        var chip = chips.First;
        var eventId = (await chip.GetAttributeAsync("data-event-id"))!;
        await chip.ClickAsync();
        var status = page.GetByTestId("highlight-status");
        await Assertions.Expect(status).ToContainTextAsync("Highlighted:");
        Assert.Equal("polite", await status.GetAttributeAsync("aria-live"));
        var highlighted = page.Locator($"tr[data-event-id=\"{eventId}\"][data-highlighted=\"true\"]");
        await Assertions.Expect(highlighted).ToBeVisibleAsync();
        await Assertions.Expect(highlighted).ToBeInViewportAsync();
        await Assertions.Expect(highlighted).ToHaveAttributeAsync("aria-current", "true");
        Assert.Equal(1, await page.Locator("tr[data-highlighted=\"true\"]").CountAsync());
        var ring = await page.GetByTestId("timeline").EvaluateAsync<string?>(
            "el => { const t = (el.data || []).find(d => d.name === 'Highlighted'); return t ? t.text[0] : null; }");
        Assert.StartsWith("Highlighted: ", ring);
        await PortalAppFixture.ScreenshotAsync(page, "highlight-" + conditionId);

        // The details stay one click away.
        await status.GetByTestId("highlight-open").ClickAsync();
        await Assertions.Expect(page.GetByTestId("event-details")).ToContainTextAsync(eventId);
    }

    private static string WorkingDiagnosisOf(string file)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(SampleData, "MANIFEST.json")));
        var entry = manifest.RootElement.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("file").GetString() == file);
        return entry.GetProperty("workingDiagnosis").GetProperty("display").GetString()!;
    }

    /// <summary>
    /// The app's pseudonym of a sample patient: the one whose emergency note holds the sample's history of present
    /// illness (free text keeps its clinical words through de-identification; ids do not).
    /// </summary>
    private async Task<string> AppPatientIdAsync(string file)
    {
        using var bundle = JsonDocument.Parse(File.ReadAllText(Path.Combine(SampleData, file)));
        var notes = bundle.RootElement.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource"))
            .Where(r => r.GetProperty("resourceType").GetString() == "DocumentReference")
            .SelectMany(r => r.GetProperty("content").EnumerateArray())
            .Select(c => Encoding.UTF8.GetString(Convert.FromBase64String(c.GetProperty("attachment").GetProperty("data").GetString()!)));
        var presentIllness = notes.Select(n => Regex.Match(n, @"History of present illness: This [^.]*\.")).Last(m => m.Success).Value;
        await using var connection = new SqliteConnection($"Data Source={app.AppDatabasePath};Mode=ReadOnly;Pooling=False");
        var ids = (await connection.QueryAsync<string>(
            "SELECT DISTINCT patient_id FROM events WHERE kind = 'Note' AND instr(text, @presentIllness) > 0", new { presentIllness })).ToList();
        Assert.True(ids.Count == 1, $"{file}: {ids.Count} patients have the note '{presentIllness}'");
        return ids[0];
    }

    private async Task<HashSet<string>> EventIdsAsync(string patientId)
    {
        await using var connection = new SqliteConnection($"Data Source={app.AppDatabasePath};Mode=ReadOnly;Pooling=False");
        return [.. await connection.QueryAsync<string>("SELECT id FROM events WHERE patient_id = @patientId", new { patientId })];
    }
}
