using ClinicianPortal.Shared.Reasoning.Orchestration;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.Reasoning.LanguageModel;
using Microsoft.Playwright;

namespace ClinicianPortal.Tests.Browser;

/// <summary>
/// The app with one sample patient (pulmonary embolism) and CaseReview:LanguageModel pointing at a fake
/// OpenAI-compatible server whose model adds a sentence citing an entry that does not exist.
/// </summary>
public sealed class LanguageModelAppFixture : PortalAppFixture
{
    public const string InventedSentence = "Anticoagulation was started [EV-INVENTED].";

    public FakeChatServer LanguageModel { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        LanguageModel = await FakeChatServer.StartAsync(
            FakeChatServer.ToolCalls(("call_1", CaseTools.SummaryTool, "{}")),
            FakeChatServer.TextFrom(request => FakeChatServer.ProseFromSummary(request.ToolResults["call_1"]) + InventedSentence));
        await base.InitializeAsync();
    }

    protected override IReadOnlyList<(string Key, string Value)> AppSettings() =>
    [
        ("CaseReview:LanguageModel:Endpoint", LanguageModel.Endpoint.ToString()),
        ("CaseReview:LanguageModel:Model", "browser-test-model"),
        ("CaseReview:LanguageModel:TimeoutSeconds", "30"),
    ];

    protected override string SampleDataDirectory() => OnePatientSampleDirectory();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (LanguageModel is not null) await LanguageModel.DisposeAsync();
    }
}

// Its own app and browser: run it apart from the other browser tests (two apps on two cores time out).
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LanguageModelAppCollection : ICollectionFixture<LanguageModelAppFixture>
{
    public const string Name = "Portal app with a language model";
}

[Collection(LanguageModelAppCollection.Name)]
public sealed class LanguageModelUiTests(LanguageModelAppFixture app)
{
    [BrowserFact]
    public async Task When_the_language_models_prose_is_rejected_the_panel_says_why_and_shows_the_deterministic_summary()
    {
        var page = await app.NewPageAsync(height: 1000);
        await PortalAppFixture.GotoInteractiveAsync(page, "patients");
        var link = page.Locator("a.patient-link").First;
        await Assertions.Expect(link).ToBeVisibleAsync();
        await link.ClickAsync();
        await Assertions.Expect(page.Locator("main[data-interactive=true]")).ToBeAttachedAsync();

        var panel = page.GetByRole(AriaRole.Region, new() { Name = "Case review" });
        await panel.GetByRole(AriaRole.Button, new() { Name = "Review case" }).ClickAsync();

        var notice = panel.GetByTestId("language-model-notice");
        await Assertions.Expect(notice).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(
            @"^Language-model summary rejected: sentence \d+ cites entry 'EV-INVENTED', which is not in the record; showing the deterministic summary\.$"));
        await Assertions.Expect(panel.GetByTestId("summary-author")).ToContainTextAsync("deterministic summary generator");
        await Assertions.Expect(panel.GetByTestId("provenance")).ToContainTextAsync("Orchestrator: deterministic");
        await Assertions.Expect(panel.GetByTestId("provenance")).ToContainTextAsync("Audit record #");
        await Assertions.Expect(panel.GetByTestId("summary-sentence").Filter(new() { HasText = "Anticoagulation was started" })).ToHaveCountAsync(0);
        Assert.Equal(2, app.LanguageModel.Requests.Count);
        await PortalAppFixture.ScreenshotAsync(page, "case-review-language-model-rejected");
    }
}
