using ClinicianPortal.Audit;
using ClinicianPortal.CaseReview;
using ClinicianPortal.ModelLifecycle;
using ClinicianPortal.Shared.Governance.Lifecycle;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.ModelLifecycle;

namespace ClinicianPortal.Tests.CaseReview;

/// <summary>Shadow models run beside the approved one: audited under their own stamp, never returned to the clinician.</summary>
public sealed class ShadowCaseReviewsTests : IAsyncLifetime
{
    private readonly LifecycleApp app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await app.Get<ShadowCaseReviews>().WhenIdleAsync();
        await app.DisposeAsync();
        app.Delete();
    }

    private string Curated => app.Get<DifferentialModels>().Curated.Spec.Version;
    private string Candidate => app.Get<DifferentialModels>().All.Single(e => e.Spec.Version != Curated).Spec.Version;

    [Fact]
    public async Task The_clinician_gets_the_approved_models_review_and_the_shadows_review_of_the_same_inputs_is_only_audited()
    {
        var patientId = await app.StoreSampleAsync();

        var audited = await app.Get<AuditedCaseReview>().ReviewAsync(patientId, "physician");
        await app.Get<ShadowCaseReviews>().WhenIdleAsync();

        Assert.NotNull(audited);
        Assert.Equal(Curated, Assert.Single(audited.Review.Provenance.Models).Version);
        var audit = app.Get<AuditStore>();
        var records = (await audit.PageAsync(0, 10)).Items.Reverse().ToList();
        Assert.Equal(2, records.Count);
        Assert.Equal(audited.Audit, records[0]);
        var shadow = records[1];
        Assert.Equal((DifferentialSpec.ModelId, Candidate), (shadow.Model.Id, shadow.Model.Version));
        Assert.Equal(("physician", patientId, "case-review"), (shadow.UserName, shadow.PatientPseudonym, shadow.Kind));
        Assert.Equal(records[0].InputSha256, shadow.InputSha256); // same record, same as-of time, same care setting
        Assert.NotEqual(records[0].OutputJson, shadow.OutputJson); // a different model: a different review
        Assert.Contains(Candidate, shadow.OutputJson, StringComparison.Ordinal);
        Assert.DoesNotContain(Candidate, records[0].OutputJson, StringComparison.Ordinal);
        var verification = await audit.VerifyAsync();
        Assert.True(verification.Intact, verification.Reason);
    }

    [Fact]
    public async Task A_failing_shadow_leaves_the_clinicians_review_intact_and_is_logged_without_the_patient()
    {
        var logs = new CapturingLoggerProvider();
        var failing = new LifecycleApp(logs: logs);
        try
        {
            var patientId = await failing.StoreSampleAsync();
            await failing.Get<AuditStore>().VerifyAsync(); // creates the schema
            await using (var connection = failing.Get<ClinicianPortal.Data.SqlDialect>().CreateConnection())
            {
                await connection.OpenAsync();
                await Dapper.SqlMapper.ExecuteAsync(connection,
                    "CREATE TRIGGER shadow_refused BEFORE INSERT ON audit_records WHEN NEW.model_version LIKE '%.est50' BEGIN SELECT RAISE(ABORT, 'disk full'); END");
            }

            var audited = await failing.Get<AuditedCaseReview>().ReviewAsync(patientId, "physician");
            await failing.Get<ShadowCaseReviews>().WhenIdleAsync();

            Assert.NotNull(audited);
            Assert.Equal(1, (await failing.Get<AuditStore>().VerifyAsync()).Records);
            var warning = Assert.Single(logs.Text.Split('\n'), l => l.Contains("Shadow review by", StringComparison.Ordinal));
            Assert.Contains(".est50 failed (SqliteException)", warning, StringComparison.Ordinal);
            Assert.DoesNotContain(patientId, logs.Text, StringComparison.Ordinal);
        }
        finally
        {
            await failing.DisposeAsync();
            failing.Delete();
        }
    }

    [Fact]
    public async Task Once_the_candidate_is_approved_clinicians_are_served_by_it_and_the_retired_model_no_longer_runs()
    {
        var patientId = await app.StoreSampleAsync();
        var governance = app.Get<ModelGovernance>();
        await ValidationSeed.RateAsync(app.Get<ClinicianPortal.Data.SqlDialect>().CreateConnection, DifferentialSpec.ModelId, Candidate, outputs: 3, score: 5);
        Assert.True((await governance.ChangeStatusAsync(DifferentialSpec.ModelId, Candidate, LifecycleStatus.Pilot, "admin")).Changed);
        Assert.True((await governance.ChangeStatusAsync(DifferentialSpec.ModelId, Candidate, LifecycleStatus.Approved, "admin")).Changed);

        var audited = await app.Get<AuditedCaseReview>().ReviewAsync(patientId, "physician");
        await app.Get<ShadowCaseReviews>().WhenIdleAsync();

        Assert.Equal(Candidate, Assert.Single(audited!.Review.Provenance.Models).Version);
        var reviews = (await app.Get<AuditStore>().PageAsync(0, 20)).Items.Where(r => r.Kind == "case-review").ToList();
        Assert.Equal(Candidate, Assert.Single(reviews).Model.Version);
    }

    [Fact]
    public async Task With_the_approved_version_retired_reviews_are_unavailable_and_say_why()
    {
        var patientId = await app.StoreSampleAsync();
        var governance = app.Get<ModelGovernance>();
        Assert.True((await governance.ChangeStatusAsync(DifferentialSpec.ModelId, Curated, LifecycleStatus.Retired, "admin")).Changed);

        var availability = app.Get<CaseReviewService>().Availability;

        Assert.False(availability.Available);
        Assert.Contains("No version of the differential model is approved", availability.Reason, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CaseReviewUnavailableException>(() => app.Get<AuditedCaseReview>().ReviewAsync(patientId, "physician"));
    }
}
