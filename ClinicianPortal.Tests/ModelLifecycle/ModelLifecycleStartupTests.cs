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
}
