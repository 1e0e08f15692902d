using System.Text.Json;
using ClinicianPortal;
using ClinicianPortal.Audit;
using ClinicianPortal.CaseReview;
using ClinicianPortal.Data;
using ClinicianPortal.Shared.Governance.Audit;
using ClinicianPortal.Shared.Reasoning.LanguageModel;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.Reasoning.LanguageModel;
using ClinicianPortal.Tests.Records;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicianPortal.Tests.CaseReview;

/// <summary>The app's own composition with CaseReview:LanguageModel pointing at a fake OpenAI-compatible server: audited reviews.</summary>
public sealed class LanguageModelCaseReviewTests : IDisposable
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

    private static (string, string)[] LanguageModel(FakeChatServer server) =>
    [
        ("CaseReview:LanguageModel:Endpoint", server.Endpoint.ToString()),
        ("CaseReview:LanguageModel:Model", "portal-test-model"),
        ("CaseReview:LanguageModel:ApiKey", "sk-portal-test"),
        ("CaseReview:LanguageModel:TimeoutSeconds", "30"),
    ];

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static async Task<string> StoreSampleAsync(WebApplicationFactory<Program> app)
    {
        var batch = await ImportTestKit.ReadFileAsync(Sample);
        await app.Services.GetRequiredService<IPatientStore>().StoreAsync(batch);
        return batch.Patients[0].Id;
    }

    private static FakeChatServer.Reply[] Conversation(string added = "") =>
    [
        FakeChatServer.ToolCalls(("call_1", CaseTools.SummaryTool, "{}")),
        FakeChatServer.TextFrom(request => FakeChatServer.ProseFromSummary(request.ToolResults["call_1"]) + added),
    ];

    [Fact]
    public async Task A_configured_language_models_grounded_prose_is_shown_and_recorded_in_the_audit_trail_with_the_orchestrator()
    {
        await using var server = await FakeChatServer.StartAsync(Conversation());
        await using var app = App(LanguageModel(server));
        using var client = app.CreateClient();
        var patientId = await StoreSampleAsync(app);
        var steps = new List<string>();

        var audited = await app.Services.GetRequiredService<AuditedCaseReview>().ReviewAsync(patientId, "physician", new Progress(steps.Add));

        Assert.NotNull(audited);
        Assert.Equal("language-model:portal-test-model", audited.Review.Provenance.Orchestrator);
        Assert.Equal(LanguageModelOutcome.Accepted, audited.Review.Provenance.LanguageModel!.Outcome);
        Assert.Equal(CitedProse.SectionKey, Assert.Single(audited.Review.Summary.Summary.Sections).Key);
        Assert.Equal("pulmonary-embolism", audited.Review.Differential[0].ConditionId);
        Assert.Equal(LanguageModelOrchestrator.Step, audited.Review.Steps[^1]);
        Assert.Equal([.. audited.Review.Steps, CaseTools.SummaryTool, "audit"], steps); // the panel shows the tools the model calls too
        Assert.All(server.Requests, r => Assert.Equal("Bearer sk-portal-test", r.Header("Authorization")));
        Assert.All(server.Requests, r => Assert.Equal("portal-test-model", (string?)r.Body["model"]));
        // The record holds the review as shown: the prose, who wrote it, and the differential model's stamp.
        var record = Assert.Single((await app.Services.GetRequiredService<AuditStore>().PageAsync(0, 10)).Items);
        Assert.Equal(CanonicalJson.Serialize(CaseReviewJson.Serialize(audited.Review)), record.OutputJson);
        using var output = JsonDocument.Parse(record.OutputJson);
        var provenance = output.RootElement.GetProperty("provenance");
        Assert.Equal("language-model:portal-test-model", provenance.GetProperty("orchestrator").GetString());
        Assert.Equal("accepted", provenance.GetProperty("languageModel").GetProperty("outcome").GetString());
        Assert.Equal(audited.Review.Provenance.Models[0].Id, record.Model.Id);
    }

    [Fact]
    public async Task Rejected_prose_is_not_shown_and_the_rejection_with_its_sentence_and_reason_is_in_the_audit_record()
    {
        await using var server = await FakeChatServer.StartAsync(Conversation(added: "Anticoagulation was started [EV-INVENTED]."));
        await using var app = App(LanguageModel(server));
        using var client = app.CreateClient();
        var patientId = await StoreSampleAsync(app);
        var deterministic = await app.Services.GetRequiredService<CaseReviewService>().ReviewAsync(patientId);

        var audited = await app.Services.GetRequiredService<AuditedCaseReview>().ReviewAsync(patientId, "physician");

        Assert.NotNull(audited);
        Assert.Equal(CaseReviewer.Deterministic, audited.Review.Provenance.Orchestrator);
        Assert.Equal(CaseReviewJson.Serialize(deterministic!.Summary), CaseReviewJson.Serialize(audited.Review.Summary));
        var sentence = deterministic.Summary.Summary.Sections.Sum(s => s.Sentences.Count) + 1;
        var record = Assert.Single((await app.Services.GetRequiredService<AuditStore>().PageAsync(0, 10)).Items);
        using var output = JsonDocument.Parse(record.OutputJson);
        var run = output.RootElement.GetProperty("provenance").GetProperty("languageModel");
        Assert.Equal("rejected", run.GetProperty("outcome").GetString());
        var rejection = Assert.Single(run.GetProperty("rejections").EnumerateArray());
        Assert.Equal(sentence, rejection.GetProperty("sentence").GetInt32());
        Assert.Equal("cites entry 'EV-INVENTED', which is not in the record", rejection.GetProperty("reason").GetString());
        Assert.EndsWith("Anticoagulation was started [EV-INVENTED].", run.GetProperty("prose").GetString(), StringComparison.Ordinal);
        Assert.True((await app.Services.GetRequiredService<AuditStore>().VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Without_a_language_model_the_audited_review_is_deterministic_and_says_nothing_of_one()
    {
        await using var app = App();
        using var client = app.CreateClient();
        var patientId = await StoreSampleAsync(app);

        var audited = await app.Services.GetRequiredService<AuditedCaseReview>().ReviewAsync(patientId, "physician");

        Assert.Null(app.Services.GetRequiredService<CaseReviewLanguageModel>().Orchestrator);
        Assert.Equal(CaseReviewer.Deterministic, audited!.Review.Provenance.Orchestrator);
        Assert.Null(audited.Review.Provenance.LanguageModel);
        Assert.DoesNotContain("languageModel", audited.Audit.OutputJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misconfigured_language_model_stops_the_start_with_the_setting_that_is_wrong()
    {
        // Hosted as Program hosts it, not through WebApplicationFactory: when the start fails the app's own thread
        // disposes the host, and the factory may then report that ObjectDisposedException instead of the cause.
        await using var app = PortalApp.Build(["--urls", "http://127.0.0.1:0"], b =>
        {
            b.Configuration["Storage:Provider"] = "Sqlite";
            b.Configuration["Storage:DataDirectory"] = Path.Combine(_root, "data");
            b.Configuration["Storage:SeedSampleData"] = "false";
            b.Configuration["Inference:ModelsDirectory"] = Path.Combine(_root, "models");
            b.Configuration["CaseReview:LanguageModel:Endpoint"] = "http://127.0.0.1:9/v1";
        });

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Equal("CaseReview:LanguageModel is misconfigured: Model is required with an Endpoint.", e.Message);
    }

    private sealed class Progress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
