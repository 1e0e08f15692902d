using ClinicianPortal.CaseReview;
using ClinicianPortal.Components.CaseReview;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicianPortal.Tests.Components.CaseReview;

/// <summary>The panel before a review, with the app's own case review service (available, or not for want of ONNX Runtime).</summary>
public sealed class CaseReviewPanelTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "clinicianportal-tests", Guid.NewGuid().ToString("N"));

    private WebApplicationFactory<Program> App(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:Provider", "Sqlite")
             .UseSetting("Storage:DataDirectory", Path.Combine(_root, "data"))
             .UseSetting("Storage:SeedSampleData", "false")
             .UseSetting("Inference:ModelsDirectory", Path.Combine(_root, "models"))
             .UseSetting("Inference:ExecutionProviders:0", "CPU");
            foreach (var (key, value) in settings) b.UseSetting(key, value);
        });

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static async Task<string> RenderPanelAsync(WebApplicationFactory<Program> app)
    {
        using var client = app.CreateClient(); // starts the host (and its model install)
        var reviews = app.Services.GetRequiredService<AuditedCaseReview>();
        var annotations = app.Services.GetRequiredService<ClinicianPortal.Annotations.AnnotationService>();
        await using var renderer = new StaticRenderer(s => s.AddSingleton(reviews).AddTransient<CaseReviewPanelModel>()
            .AddSingleton(annotations).AddTransient<ClinicianPortal.Components.Annotations.CaseAnnotations>());
        return await renderer.RenderAsync<CaseReviewPanel>(new() { [nameof(CaseReviewPanel.PatientId)] = "PT-ANY" });
    }

    [Fact]
    public async Task With_the_model_served_the_panel_offers_a_labelled_review_button_and_a_polite_live_region()
    {
        await using var app = App();

        var html = await RenderPanelAsync(app);

        Assert.Equal("Review case", StaticRenderer.TextOf(html, "review-case")?.Trim());
        Assert.Matches("<h2 id=\"case-review-title\"[^>]*>Case review</h2>", html);
        Assert.Matches("role=\"status\" aria-live=\"polite\"[^>]*data-testid=\"case-review-progress\"", html);
        Assert.DoesNotContain("case-review-unavailable", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_inference_runtime_the_panel_gives_the_reason_instead_of_the_button()
    {
        await using var app = App(("Inference:NativeLibraryPath", Path.Combine(_root, "missing", "libonnxruntime.so.1")));

        var html = await RenderPanelAsync(app);

        Assert.StartsWith("Inference is unavailable", StaticRenderer.TextOf(html, "case-review-unavailable"), StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"review-case\"", html, StringComparison.Ordinal);
    }
}
