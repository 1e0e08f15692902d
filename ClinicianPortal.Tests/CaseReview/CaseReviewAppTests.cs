using System.Net;
using System.Text.Json;
using ClinicianPortal.CaseReview;
using ClinicianPortal.Data;
using ClinicianPortal.Shared.Inference;
using ClinicianPortal.Shared.Inference.Models;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.Records;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicianPortal.Tests.CaseReview;

/// <summary>The web app's own composition with the case review: the model installed at start-up, reviews of stored patients.</summary>
public sealed class CaseReviewAppTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "clinicianportal-tests", Guid.NewGuid().ToString("N"));
    private static readonly string Sample = Path.Combine(TestEnvironment.RepositoryRoot, "ClinicianPortal", "SampleData", "patient-0010-pulmonary-embolism.json");

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

    [Fact]
    public async Task The_app_starts_with_the_differential_model_compiled_into_an_empty_models_folder_and_served()
    {
        await using var app = App();
        using var client = app.CreateClient();

        var status = app.Services.GetRequiredService<InferenceHost>().Models.Status(DifferentialSpec.ModelId);
        Assert.Equal(ModelState.Available, status?.State);
        Assert.True(File.Exists(Path.Combine(_root, "models", app.Services.GetRequiredService<DifferentialEngine>().Spec.FileName)));
        using var health = JsonDocument.Parse(await client.GetStringAsync(new Uri("/health/inference", UriKind.Relative)));
        var model = Assert.Single(health.RootElement.GetProperty("models").EnumerateArray(), m => m.GetProperty("id").GetString() == DifferentialSpec.ModelId);
        Assert.Equal("available", model.GetProperty("state").GetString());
        Assert.Equal(new CaseReviewAvailability(true, null), app.Services.GetRequiredService<CaseReviewService>().Availability);
    }

    [Fact]
    public async Task A_stored_patient_is_reviewed_with_the_served_model_and_an_unknown_patient_is_not_found()
    {
        await using var app = App();
        using var client = app.CreateClient();
        var batch = await ImportTestKit.ReadFileAsync(Sample);
        await app.Services.GetRequiredService<IPatientStore>().StoreAsync(batch);
        var reviews = app.Services.GetRequiredService<CaseReviewService>();
        var steps = new List<string>();

        var review = await reviews.ReviewAsync(batch.Patients[0].Id, new Progress(steps.Add));

        Assert.NotNull(review);
        Assert.Equal("pulmonary-embolism", review.Differential[0].ConditionId);
        var served = app.Services.GetRequiredService<InferenceHost>().Models.Status(DifferentialSpec.ModelId)!;
        var model = Assert.Single(review.Provenance.Models);
        Assert.Equal((served.Id, served.Version, served.Sha256), (model.Id, (string?)model.Version, (string?)model.Sha256));
        Assert.Equal(review.Steps, steps);
        var ids = batch.Events.Select(e => e.Id).ToHashSet();
        Assert.All(review.Findings.SelectMany(f => f.Citations), c => Assert.Contains(c.EventId, ids));
        Assert.Null(await reviews.ReviewAsync("PT-NOSUCHPATIENT"));
    }

    [Fact]
    public async Task Without_an_inference_runtime_the_app_runs_and_the_review_says_why_it_is_unavailable()
    {
        await using var app = App(("Inference:NativeLibraryPath", Path.Combine(_root, "missing", "libonnxruntime.so.1")));
        using var client = app.CreateClient();
        var batch = await ImportTestKit.ReadFileAsync(Sample);
        await app.Services.GetRequiredService<IPatientStore>().StoreAsync(batch);
        var reviews = app.Services.GetRequiredService<CaseReviewService>();

        var availability = reviews.Availability;

        Assert.False(availability.Available);
        Assert.Contains("Inference is unavailable", availability.Reason);
        var error = await Assert.ThrowsAsync<CaseReviewUnavailableException>(() => reviews.ReviewAsync(batch.Patients[0].Id));
        Assert.Equal(availability.Reason, error.Message);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
    }

    private sealed class Progress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
