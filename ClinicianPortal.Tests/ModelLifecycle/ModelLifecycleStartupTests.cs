using ClinicianPortal.CaseReview;
using ClinicianPortal.ModelLifecycle;
using ClinicianPortal.Shared.Governance.Lifecycle;
using ClinicianPortal.Shared.Governance.ModelCards;
using ClinicianPortal.Shared.Inference.Models;
using ClinicianPortal.Shared.Reasoning.Differential;

namespace ClinicianPortal.Tests.ModelLifecycle;

/// <summary>What the app registers when it starts, over its real composition (SQLite, ONNX Runtime on CPU).</summary>
public sealed class ModelLifecycleStartupTests
{
    [Fact]
    public async Task A_fresh_installation_approves_the_curated_model_and_registers_the_candidate_in_shadow_both_served_with_complete_cards()
    {
        var app = new LifecycleApp();
        try
        {
            var models = app.Get<DifferentialModels>();
            var candidate = Assert.Single(models.All, e => e != models.Curated);
            Assert.Equal(LifecycleApp.CandidateWeight, candidate.Spec.EstimateWeight);

            var versions = await app.Get<ModelGovernance>().ListAsync();

            Assert.Equal([(models.Curated.Spec.Version, LifecycleStatus.Approved), (candidate.Spec.Version, LifecycleStatus.Shadow)],
                versions.Select(v => (v.Version, v.Status)).OrderBy(v => v.Version, StringComparer.Ordinal));
            var registry = app.Get<ModelRegistry>();
            Assert.All(versions, v =>
            {
                Assert.Equal(ModelState.Available, registry.Status(DifferentialSpec.ModelId, v.Version)?.State);
                Assert.Equal(registry.Status(DifferentialSpec.ModelId, v.Version)!.Sha256, v.Sha256);
                Assert.Empty(ModelCardValidator.Problems(v.Card!));
            });
            Assert.Equal(models.Curated.Spec.Version, app.Get<CaseReviewService>().ServedVersion);
        }
        finally
        {
            await app.DisposeAsync();
            app.Delete();
        }
    }

    [Fact]
    public async Task A_restart_keeps_the_statuses_and_a_candidate_added_later_enters_in_shadow()
    {
        var first = new LifecycleApp(candidate: false);
        var root = first.Root;
        try
        {
            var curated = first.Get<DifferentialModels>().Curated.Spec.Version;
            Assert.Equal(curated, Assert.Single(await first.Get<ModelGovernance>().ListAsync()).Version);
            await first.DisposeAsync();

            await using var second = new LifecycleApp(root, candidate: true);
            var versions = await second.Get<ModelGovernance>().ListAsync();

            Assert.Equal(2, versions.Count);
            Assert.Equal(LifecycleStatus.Approved, versions.Single(v => v.Version == curated).Status);
            Assert.Equal(LifecycleStatus.Shadow, versions.Single(v => v.Version != curated).Status);
            Assert.Equal(curated, second.Get<ModelGovernance>().ApprovedVersion(DifferentialSpec.ModelId));
        }
        finally
        {
            await first.DisposeAsync();
            first.Delete();
        }
    }

    [Fact]
    public async Task An_upgrade_that_drops_the_approved_version_approves_the_release_version_with_an_audited_reason()
    {
        var (root, curated) = await InstallationApprovedOnAnOlderReleaseAsync();
        try
        {
            await using var upgraded = new LifecycleApp(root, candidate: false);
            var versions = await upgraded.Get<ModelGovernance>().ListAsync();

            Assert.Equal(LifecycleStatus.Retired, versions.Single(v => v.Version == OlderRelease).Status);
            Assert.Equal(LifecycleStatus.Approved, versions.Single(v => v.Version == curated).Status);
            Assert.Equal(curated, upgraded.Get<CaseReviewService>().ServedVersion);
            var audit = upgraded.Get<ClinicianPortal.Audit.AuditStore>();
            var changes = (await audit.PageAsync(0, 10)).Items;
            Assert.Equal(2, changes.Count);
            Assert.All(changes, c => Assert.Equal(ModelGovernance.System, c.UserName));
            Assert.Contains(changes, c => c.Model.Version == curated && c.OutputJson.Contains("release upgrade", StringComparison.Ordinal));
            Assert.True((await audit.VerifyAsync()).Intact);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task With_release_approval_off_an_upgrade_leaves_reviews_unavailable_until_an_administrator_acts()
    {
        var (root, curated) = await InstallationApprovedOnAnOlderReleaseAsync();
        try
        {
            await using var upgraded = new LifecycleApp(root, candidate: false,
                settings: new Dictionary<string, string> { ["ModelGovernance:ApproveReleaseOnUpgrade"] = "false" });
            var versions = await upgraded.Get<ModelGovernance>().ListAsync();

            Assert.Equal(LifecycleStatus.Approved, versions.Single(v => v.Version == OlderRelease).Status);
            Assert.Equal(LifecycleStatus.Shadow, versions.Single(v => v.Version == curated).Status);
            var availability = upgraded.Get<CaseReviewService>().Availability;
            Assert.False(availability.Available);
            Assert.Contains("not part of this build", availability.Reason, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private const string OlderRelease = "0.9.0-older-release";

    /// <summary>An installation whose approved version came with an older release (a knowledge base this build cannot run).</summary>
    private static async Task<(string Root, string Curated)> InstallationApprovedOnAnOlderReleaseAsync()
    {
        var first = new LifecycleApp(candidate: false);
        var curated = first.Get<DifferentialModels>().Curated.Spec.Version;
        var path = first.DatabasePath;
        await first.DisposeAsync();
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE model_versions SET version = $old WHERE version = $curated";
            command.Parameters.AddWithValue("$old", OlderRelease);
            command.Parameters.AddWithValue("$curated", curated);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        return (first.Root, curated);
    }
}
