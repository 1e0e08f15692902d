using ClinicianPortal.Audit;
using ClinicianPortal.CaseReview;
using ClinicianPortal.Data;
using ClinicianPortal.Shared.Governance.Audit;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.Records;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicianPortal.Tests.CaseReview;

/// <summary>Reviews shown to a person are recorded in the audit trail first (the app's own composition, SQLite).</summary>
public sealed class AuditedCaseReviewTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "clinicianportal-tests", Guid.NewGuid().ToString("N"));
    private static readonly string Sample = Path.Combine(TestEnvironment.RepositoryRoot, "ClinicianPortal", "SampleData", "patient-0010-pulmonary-embolism.json");

    private WebApplicationFactory<Program> App() =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("Storage:Provider", "Sqlite")
            .UseSetting("Storage:DataDirectory", Path.Combine(_root, "data"))
            .UseSetting("Storage:SeedSampleData", "false")
            .UseSetting("Inference:ModelsDirectory", Path.Combine(_root, "models"))
            .UseSetting("Inference:ExecutionProviders:0", "CPU"));

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

    [Fact]
    public async Task A_review_appends_exactly_one_audit_record_stamped_with_the_reviews_model_inputs_and_json_and_the_chain_verifies()
    {
        await using var app = App();
        using var client = app.CreateClient();
        var patientId = await StoreSampleAsync(app);
        var steps = new List<string>();

        var audited = await app.Services.GetRequiredService<AuditedCaseReview>().ReviewAsync(patientId, "physician", new Progress(steps.Add));

        Assert.NotNull(audited);
        var audit = app.Services.GetRequiredService<AuditStore>();
        var record = Assert.Single((await audit.PageAsync(0, 10)).Items);
        Assert.Equal(audited.Audit, record);
        var model = Assert.Single(audited.Review.Provenance.Models);
        Assert.Equal(new ModelStamp(model.Id, model.Version, model.Sha256), record.Model);
        Assert.Equal(("physician", patientId, "case-review"), (record.UserName, record.PatientPseudonym, record.Kind));
        Assert.Equal(audited.Review.Provenance.InputsSha256, record.InputSha256);
        Assert.Equal(CanonicalJson.Serialize(CaseReviewJson.Serialize(audited.Review)), record.OutputJson);
        Assert.Equal([.. audited.Review.Steps, "audit"], steps);
        var verification = await audit.VerifyAsync();
        Assert.True(verification.Intact, verification.Reason);
        Assert.Equal(1, verification.Records);
    }

    [Fact]
    public async Task A_review_that_cannot_be_audited_fails_and_is_not_returned()
    {
        await using var app = App();
        using var client = app.CreateClient();
        var patientId = await StoreSampleAsync(app);
        var audit = app.Services.GetRequiredService<AuditStore>();
        await audit.VerifyAsync(); // creates the schema
        await using (var connection = app.Services.GetRequiredService<SqlDialect>().CreateConnection())
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync("CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_records BEGIN SELECT RAISE(ABORT, 'disk full'); END");
        }

        var e = await Assert.ThrowsAsync<CaseReviewAuditException>(() => app.Services.GetRequiredService<AuditedCaseReview>().ReviewAsync(patientId, "physician"));

        Assert.DoesNotContain(patientId, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await audit.VerifyAsync()).Records);
    }

    [Fact]
    public async Task An_unknown_patient_is_not_found_and_nothing_is_audited()
    {
        await using var app = App();
        using var client = app.CreateClient();

        Assert.Null(await app.Services.GetRequiredService<AuditedCaseReview>().ReviewAsync("PT-NOSUCHPATIENT", "physician"));
        Assert.Equal(0, (await app.Services.GetRequiredService<AuditStore>().VerifyAsync()).Records);
    }

    private sealed class Progress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
