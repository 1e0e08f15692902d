using ClinicianPortal.Identity;
using ClinicianPortal.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace ClinicianPortal.Tests.Browser;

/// <summary>
/// Annotating a case review in headless chromium against the real app: threads across roles, the open list, resolve, and
/// nothing typed lost when the circuit drops.
/// </summary>
[Collection(PortalAppCollection.Name)]
public sealed class AnnotationUiTests(PortalAppFixture app)
{
    private const string DraftPrefix = "clinicianportal.annotation-draft:";

    [BrowserFact]
    public async Task A_physician_flags_an_entry_unsafe_the_care_team_replies_and_resolving_removes_it_from_the_open_list()
    {
        var patientId = await PatientAsync(0);
        var comment = "Anticoagulation here is unsafe: GI bleed last month. " + Guid.NewGuid().ToString("N")[..8];

        // The physician flags the first differential entry as unsafe.
        var physician = await app.NewPageAsync(height: 1000, role: Roles.Physician);
        var (panel, entry) = await ReviewAsync(physician, patientId);
        var target = await entry.GetAttributeAsync("data-target");
        Assert.Matches("^differential/[a-z0-9-]+$", target);
        await entry.GetByTestId("annotate-toggle").ClickAsync();
        await entry.GetByTestId("annotation-verdict-unsafe").CheckAsync();
        await entry.GetByTestId("annotation-save").ClickAsync();
        await Assertions.Expect(entry.GetByTestId("annotation-error")).ToContainTextAsync("needs a comment"); // the rule, shown
        await entry.GetByTestId("annotation-comment-input").FillAsync(comment);
        await entry.GetByTestId("annotation-save").ClickAsync();
        var thread = entry.GetByTestId("annotation-thread");
        await Assertions.Expect(thread).ToHaveCountAsync(1);
        await Assertions.Expect(thread.GetByTestId("annotation-verdict")).ToHaveTextAsync("unsafe");
        await Assertions.Expect(thread.GetByTestId("annotation-comment")).ToHaveTextAsync(comment);
        await Assertions.Expect(entry.GetByTestId("annotation-badge")).ToHaveTextAsync("unsafe 1");
        await Assertions.Expect(entry.GetByTestId("annotation-comment-input")).ToHaveValueAsync(""); // saved, so the form is empty again

        // The care team sees it on the case (after a review of its own) and replies.
        var nurse = await app.NewPageAsync(height: 1000, role: Roles.CareTeam);
        await PortalAppFixture.GotoInteractiveAsync(nurse, "patients/" + Uri.EscapeDataString(patientId));
        await Assertions.Expect(nurse.GetByTestId("case-open-annotations")).ToContainTextAsync("1 open flag");
        var (_, nurseEntry) = await ReviewAsync(nurse, patientId, navigate: false);
        await Assertions.Expect(nurseEntry).ToHaveAttributeAsync("data-target", target!);
        await Assertions.Expect(nurseEntry.GetByTestId("annotation-count")).ToHaveTextAsync("1");
        await nurseEntry.GetByTestId("annotate-toggle").ClickAsync();
        var nurseThread = nurseEntry.GetByTestId("annotation-thread");
        await Assertions.Expect(nurseThread.GetByTestId("annotation-comment")).ToHaveTextAsync(comment);
        await Assertions.Expect(nurseThread.GetByTestId("annotation-author")).ToContainTextAsync("physician");
        await Assertions.Expect(nurseThread.GetByTestId("annotation-resolve")).ToHaveCountAsync(0); // not the care team's thread to close
        await nurseThread.GetByTestId("reply-comment-input").FillAsync("Pharmacy confirms; holding apixaban.");
        await nurseThread.GetByTestId("reply-save").ClickAsync();
        await Assertions.Expect(nurseThread.GetByTestId("annotation-reply")).ToContainTextAsync("Pharmacy confirms; holding apixaban.");
        await PortalAppFixture.ScreenshotAsync(nurse, "annotations-case-thread");

        // Both see it in the open list of the patient; the physician resolves it there.
        await PortalAppFixture.GotoInteractiveAsync(nurse, "annotations?patient=" + Uri.EscapeDataString(patientId));
        var nurseRow = nurse.GetByTestId("annotations-row");
        await Assertions.Expect(nurseRow).ToHaveCountAsync(1);
        await Assertions.Expect(nurseRow.GetByTestId("annotations-replies")).ToHaveTextAsync("1");
        await Assertions.Expect(nurseRow.GetByTestId("annotations-resolve")).ToHaveCountAsync(0);

        await PortalAppFixture.GotoInteractiveAsync(physician, "annotations");
        await physician.GetByTestId("filter-patient").FillAsync(patientId);
        await physician.GetByTestId("filter-patient").PressAsync("Enter");
        var row = physician.GetByTestId("annotations-row");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.GetByTestId("annotations-verdict")).ToHaveTextAsync("unsafe");
        await Assertions.Expect(row.GetByTestId("annotations-comment")).ToHaveTextAsync(comment);
        await Assertions.Expect(row.GetByTestId("annotations-author")).ToContainTextAsync("physician");
        await Assertions.Expect(row.GetByTestId("annotations-case-link")).ToHaveAttributeAsync("href", "patients/" + Uri.EscapeDataString(patientId));
        await PortalAppFixture.ScreenshotAsync(physician, "annotations-open-list");
        await row.GetByTestId("annotations-resolve").ClickAsync();
        await Assertions.Expect(physician.GetByTestId("annotations-empty")).ToBeVisibleAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);

        await physician.GetByTestId("filter-status").SelectOptionAsync("resolved");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.GetByTestId("annotations-status")).ToHaveTextAsync("resolved");

        // On the case the thread is kept, marked resolved, without an open flag.
        await ReviewAsync(nurse, patientId);
        var resolvedEntry = nurse.Locator($"[data-testid=annotation][data-target='{target}']");
        await Assertions.Expect(resolvedEntry.GetByTestId("annotation-count")).ToHaveTextAsync("1");
        await Assertions.Expect(resolvedEntry.GetByTestId("annotation-badge")).ToHaveCountAsync(0);
        await resolvedEntry.GetByTestId("annotate-toggle").ClickAsync();
        await Assertions.Expect(resolvedEntry.GetByTestId("annotation-status")).ToHaveTextAsync("resolved");
    }

    [BrowserFact]
    public async Task A_comment_typed_while_the_circuit_drops_survives_a_failed_save_and_a_reload_and_then_saves()
    {
        var patientId = await PatientAsync(1);
        var page = await app.NewPageAsync(height: 1000, role: Roles.Physician);
        // Keep hold of the page's WebSockets, so that the test can cut the circuit's connection.
        await page.Context.AddInitScriptAsync(
            """
            (() => {
                const Native = window.WebSocket;
                window.__portalSockets = [];
                window.WebSocket = class extends Native {
                    constructor(...args) { super(...args); window.__portalSockets.push(this); }
                };
            })();
            """);
        var (_, entry) = await ReviewAsync(page, patientId);
        var target = await entry.GetAttributeAsync("data-target");
        await entry.GetByTestId("annotate-toggle").ClickAsync();
        await entry.GetByTestId("annotation-verdict-disagree").CheckAsync();
        await entry.GetByTestId("annotation-comment-input").FillAsync("Ranked too high: troponin normal twice,");

        // The circuit drops mid-edit; typing goes on, and a save cannot reach the server.
        await page.Context.SetOfflineAsync(true);
        await page.EvaluateAsync("() => window.__portalSockets.forEach(s => s.close())");
        var typed = "Ranked too high: troponin normal twice, and the ECG is unchanged from 2024.";
        await entry.GetByTestId("annotation-comment-input").FillAsync(typed);
        await entry.GetByTestId("annotation-correction-input").FillAsync("Stable angina more likely");
        await entry.GetByTestId("annotation-save").DispatchEventAsync("click");
        var kept = await page.EvaluateAsync<string?>("key => localStorage.getItem(key)", $"{DraftPrefix}physician|{patientId}|{target}");
        Assert.NotNull(kept);
        Assert.Contains("unchanged from 2024", kept, StringComparison.Ordinal);

        // Back online, a reload: the draft is announced, and restored once the case is reviewed again.
        await page.Context.SetOfflineAsync(false);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("main[data-interactive=true]")).ToBeAttachedAsync();
        await Assertions.Expect(page.GetByTestId("annotation-drafts-notice")).ToContainTextAsync("1 unsaved annotation draft");
        var (_, restored) = await ReviewAsync(page, patientId, navigate: false);
        await Assertions.Expect(restored).ToHaveAttributeAsync("data-target", target!);
        await Assertions.Expect(restored.GetByTestId("annotation-draft-restored")).ToBeVisibleAsync();
        await Assertions.Expect(restored.GetByTestId("annotation-comment-input")).ToHaveValueAsync(typed);
        await Assertions.Expect(restored.GetByTestId("annotation-correction-input")).ToHaveValueAsync("Stable angina more likely");
        await Assertions.Expect(restored.GetByTestId("annotation-verdict-disagree")).ToBeCheckedAsync();
        Assert.Equal(0, await CountAnnotationsAsync(patientId)); // the failed save stored nothing

        await restored.GetByTestId("annotation-save").ClickAsync();
        await Assertions.Expect(restored.GetByTestId("annotation-thread").GetByTestId("annotation-comment")).ToHaveTextAsync(typed);
        await Assertions.Expect(restored.GetByTestId("annotation-thread").GetByTestId("annotation-correction")).ToContainTextAsync("Stable angina more likely");
        Assert.Equal(1, await CountAnnotationsAsync(patientId));
        var drafts = await page.EvaluateAsync<int>("prefix => Object.keys(localStorage).filter(k => k.startsWith(prefix)).length", DraftPrefix);
        Assert.Equal(0, drafts); // cleared once stored
    }

    [BrowserFact]
    public async Task Signing_out_asks_before_discarding_unsaved_drafts_and_then_leaves_none_on_the_computer()
    {
        var patientId = await PatientAsync(1);
        var page = await app.NewPageAsync(height: 1000, role: Roles.Physician);
        var (_, entry) = await ReviewAsync(page, patientId);
        await entry.GetByTestId("annotate-toggle").ClickAsync();
        await entry.GetByTestId("annotation-comment-input").FillAsync("Half-written thought about the D-dimer");
        const string count = "prefix => Object.keys(localStorage).filter(k => k.startsWith(prefix)).length";
        Assert.Equal(1, await page.EvaluateAsync<int>(count, DraftPrefix + "physician|"));

        // Declined: still signed in, the draft kept.
        string? question = null;
        void Dismiss(object? sender, IDialog dialog) { question = dialog.Message; _ = dialog.DismissAsync(); }
        page.Dialog += Dismiss;
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("annotation-comment-input")).ToHaveValueAsync("Half-written thought about the D-dimer");
        Assert.Contains("1 unsaved annotation draft", question, StringComparison.Ordinal);
        Assert.Equal(1, await page.EvaluateAsync<int>(count, DraftPrefix + "physician|"));
        page.Dialog -= Dismiss;

        // Confirmed: signed out, and no draft of this user left in the browser.
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/login", StringComparison.Ordinal));
        Assert.Equal(0, await page.EvaluateAsync<int>(count, DraftPrefix + "physician|"));
    }

    /// <summary>Opens the patient, runs a review and returns the panel and the annotate control of the first differential entry.</summary>
    private static async Task<(ILocator Panel, ILocator FirstEntry)> ReviewAsync(IPage page, string patientId, bool navigate = true)
    {
        if (navigate) await PortalAppFixture.GotoInteractiveAsync(page, "patients/" + Uri.EscapeDataString(patientId));
        var panel = page.GetByRole(AriaRole.Region, new() { Name = "Case review" });
        await panel.GetByTestId("review-case").ClickAsync();
        var row = panel.GetByTestId("differential-row").First;
        await Assertions.Expect(row).ToBeVisibleAsync();
        var entry = row.GetByTestId("annotation");
        await Assertions.Expect(entry).ToBeVisibleAsync();
        return (panel, entry);
    }

    private async Task<string> PatientAsync(int index)
    {
        await using var connection = new SqliteConnection($"Data Source={app.AppDatabasePath};Mode=ReadOnly;Pooling=False");
        // Sample patients are imported on first start; wait for the first ones rather than race the import.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var ids = (await connection.QueryAsync<string>("SELECT id FROM patients ORDER BY id DESC LIMIT 2")).ToList();
                if (ids.Count > index) return ids[index];
            }
            catch (SqliteException) when (attempt < 60) { }
            if (attempt >= 60) throw new InvalidOperationException("the app imported no sample patients");
            await Task.Delay(500);
        }
    }

    private async Task<long> CountAnnotationsAsync(string patientId)
    {
        await using var connection = new SqliteConnection($"Data Source={app.AppDatabasePath};Mode=ReadOnly;Pooling=False");
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM annotations WHERE patient_id = @patientId", new { patientId });
    }
}
