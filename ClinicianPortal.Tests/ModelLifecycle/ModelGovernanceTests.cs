using System.Text.Json;
using ClinicianPortal.Audit;
using ClinicianPortal.ModelLifecycle;
using ClinicianPortal.Shared.Governance.Audit;
using ClinicianPortal.Shared.Governance.Lifecycle;
using ClinicianPortal.Shared.Governance.ModelCards;
using ClinicianPortal.Shared.Inference.Models;
using ClinicianPortal.Tests.Data;
using ClinicianPortal.Tests.Identity;
using ClinicianPortal.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClinicianPortal.Tests.ModelLifecycle;

/// <summary>Registration, transitions and thresholds over a real database of each dialect, with the audit trail.</summary>
public sealed class ModelGovernanceTests
{
    private const string Model = "differential-kb";
    private static readonly ModelStatus V1 = new(Model, "1.0.0+kb.aaa.k10", new string('1', 64), "differential-diagnosis", ModelState.Available, null);
    private static readonly ModelStatus V2 = new(Model, "1.0.0+kb.aaa.k10.est50", new string('2', 64), "differential-diagnosis", ModelState.Available, null);
    private static readonly ModelStatus V3 = new(Model, "1.0.0+kb.aaa.k10.est25", new string('3', 64), "differential-diagnosis", ModelState.Available, null);

    private static ModelGovernanceOptions Options() => new()
    {
        Pilot = new() { MinimumRatedOutputs = 3, MinimumMeanScore = 3.5, MaximumHarmFlagRate = 0.2 },
        Approved = new() { MinimumRatedOutputs = 5, MinimumMeanScore = 4.0, MaximumHarmFlagRate = 0.0 },
    };

    private static (ModelGovernance Governance, AuditStore Audit) Create(TestDatabase db, ModelGovernanceOptions? options = null)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero));
        var audit = new AuditStore(db.Dialect, db.Store, clock);
        var governance = new ModelGovernance(new ModelVersionStore(db.Dialect, db.Store, new ClinicianPortal.Validation.ValidationOptions()), audit, Microsoft.Extensions.Options.Options.Create(options ?? Options()),
            clock, NullLogger<ModelGovernance>.Instance);
        return (governance, audit);
    }

    private static ModelCard Card(ModelStatus model, DateOnly released) => new()
    {
        ModelId = model.Id, Version = model.Version!, Name = "test", Output = "o", InputFeatures = "i", IntendedUse = "u", IntendedUsers = "u",
        TargetPopulation = "p", OutOfScopeUses = ["x"], RisksAndLimitations = ["r"], TrainingData = "t", ValidationProcess = "v", ValidationResults = "v",
        FairnessAssessment = "f", UpdateAndMonitoring = "m", Citations = [new("t", "s", 2020)], Developer = "d", Funding = "None", ReleaseDate = released, RevisionDate = released,
    };

    private static async Task<(ModelGovernance, AuditStore, TestDatabase)> RegisteredAsync(string dialect, params ModelStatus[] served)
    {
        var db = await TestDatabase.CreateAsync(dialect);
        var (governance, audit) = Create(db);
        await governance.RegisterAsync(served, Card);
        return (governance, audit, db);
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_first_version_of_a_model_registers_approved_and_later_ones_in_shadow_once(string dialect)
    {
        var (governance, audit, db) = await RegisteredAsync(dialect, V1, V2);
        await using var _ = db;
        await governance.RegisterAsync([V1, V2, V3], Card); // a restart, and a new version in the folder

        var versions = await governance.ListAsync();

        Assert.Equal([(V1.Version!, LifecycleStatus.Approved), (V3.Version!, LifecycleStatus.Shadow), (V2.Version!, LifecycleStatus.Shadow)],
            versions.Select(v => (v.Version, v.Status)).OrderBy(v => v.Version, StringComparer.Ordinal));
        Assert.Equal(V1.Version!, governance.ApprovedVersion(Model));
        Assert.Equal([V2.Version!, V3.Version!], governance.SilentVersions(Model).Order(StringComparer.Ordinal).Reverse());
        Assert.All(versions, v => Assert.Equal(ModelGovernance.System, v.RegisteredBy));
        Assert.Equal("test", versions[0].Card!.Name);
        Assert.Equal(0, (await audit.VerifyAsync()).Records); // registering is not a status change
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_promotion_without_enough_ratings_is_refused_with_the_numbers_and_changes_nothing(string dialect)
    {
        var (governance, audit, db) = await RegisteredAsync(dialect, V1, V2);
        await using var _ = db;
        await ValidationSeed.RateAsync(db.Dialect.CreateConnection, Model, V2.Version!, outputs: 2, score: 5);
        await ValidationSeed.RateAsync(db.Dialect.CreateConnection, Model, V2.Version!, outputs: 4, score: 5, raters: 1); // single ratings do not count

        var result = await governance.ChangeStatusAsync(Model, V2.Version!, LifecycleStatus.Pilot, "admin");

        Assert.False(result.Changed);
        Assert.Equal(["rated outputs (each by ≥ 2 validators): 2, minimum 3"], result.Refusals);
        Assert.Equal((6, 2), (result.Evidence.SampledOutputs, result.Evidence.RatedOutputs));
        Assert.Equal(LifecycleStatus.Shadow, (await governance.GetAsync(Model, V2.Version!))!.Status);
        Assert.Equal(0, (await audit.VerifyAsync()).Records);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Low_scores_and_harm_flags_refuse_a_promotion_naming_each_failed_threshold(string dialect)
    {
        var (governance, _, db) = await RegisteredAsync(dialect, V1, V2);
        await using var __ = db;
        await ValidationSeed.RateAsync(db.Dialect.CreateConnection, Model, V2.Version!, outputs: 3, score: 3);
        await ValidationSeed.RateAsync(db.Dialect.CreateConnection, Model, V2.Version!, outputs: 1, score: 5, harm: 4);

        var result = await governance.ChangeStatusAsync(Model, V2.Version!, LifecycleStatus.Pilot, "admin");

        Assert.False(result.Changed);
        Assert.DoesNotContain(result.Refusals, r => r.StartsWith("rated outputs", StringComparison.Ordinal));
        Assert.Contains("harm flags: 1 of 4 rated outputs (25.0 %), maximum 20.0 %", result.Refusals);
        Assert.Single(result.Refusals);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_version_is_promoted_when_its_ratings_meet_the_thresholds_and_each_change_is_audited_on_a_chain_that_verifies(string dialect)
    {
        var (governance, audit, db) = await RegisteredAsync(dialect, V1, V2);
        await using var _ = db;
        await ValidationSeed.RateAsync(db.Dialect.CreateConnection, Model, V2.Version!, outputs: 5, score: 4);

        var pilot = await governance.ChangeStatusAsync(Model, V2.Version!, LifecycleStatus.Pilot, "admin");
        var approved = await governance.ChangeStatusAsync(Model, V2.Version!, LifecycleStatus.Approved, "admin");

        Assert.True(pilot.Changed, pilot.ToString());
        Assert.True(approved.Changed, approved.ToString());
        Assert.Equal(V2.Version!, governance.ApprovedVersion(Model));
        var v1 = (await governance.GetAsync(Model, V1.Version!))!;
        Assert.Equal((LifecycleStatus.Retired, "admin"), (v1.Status, v1.StatusChangedBy)); // one approved version per model

        var records = (await audit.PageAsync(0, 10)).Items.Reverse().ToList();
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Equal(("admin", "model-status-change", ""), (r.UserName, r.Kind, r.PatientPseudonym)));
        Assert.Equal([V2.Version!, V2.Version!, V1.Version!], records.Select(r => r.Model.Version));
        Assert.Equal(new ModelStamp(Model, V2.Version!, V2.Sha256!), records[0].Model);
        using var first = JsonDocument.Parse(records[0].OutputJson);
        Assert.Equal(("shadow", "pilot", "admin"), (first.RootElement.GetProperty("from").GetString(), first.RootElement.GetProperty("to").GetString(),
            first.RootElement.GetProperty("by").GetString()));
        Assert.Equal(5, first.RootElement.GetProperty("evidence").GetProperty("ratedOutputs").GetInt32());
        Assert.Equal(4.0, first.RootElement.GetProperty("evidence").GetProperty("meanScores").GetProperty("accurate").GetDouble());
        Assert.Equal(3, first.RootElement.GetProperty("thresholds").GetProperty("minimumRatedOutputs").GetInt32());
        using var retired = JsonDocument.Parse(records[2].OutputJson);
        Assert.Equal(("approved", "retired"), (retired.RootElement.GetProperty("from").GetString(), retired.RootElement.GetProperty("to").GetString()));
        Assert.Contains(V2.Version!, retired.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var verification = await audit.VerifyAsync();
        Assert.True(verification.Intact, verification.Reason);
        Assert.Equal(3, verification.Records);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Skipping_pilot_or_leaving_retirement_is_refused_and_retiring_needs_no_ratings(string dialect)
    {
        var (governance, audit, db) = await RegisteredAsync(dialect, V1, V2);
        await using var _ = db;
        await ValidationSeed.RateAsync(db.Dialect.CreateConnection, Model, V2.Version!, outputs: 10, score: 5);

        var skip = await governance.ChangeStatusAsync(Model, V2.Version!, LifecycleStatus.Approved, "admin");
        var retire = await governance.ChangeStatusAsync(Model, V2.Version!, LifecycleStatus.Retired, "admin");
        var back = await governance.ChangeStatusAsync(Model, V2.Version!, LifecycleStatus.Pilot, "admin");

        Assert.False(skip.Changed);
        Assert.Equal(["a shadow version cannot become approved (shadow → pilot → approved; retire from any)"], skip.Refusals);
        Assert.True(retire.Changed);
        Assert.False(back.Changed);
        Assert.Equal(1, (await audit.VerifyAsync()).Records);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => governance.ChangeStatusAsync(Model, "9.9.9", LifecycleStatus.Retired, "admin"));
    }

    [Fact]
    public async Task A_change_that_cannot_be_audited_is_undone_and_the_error_propagates()
    {
        var (governance, audit, db) = await RegisteredAsync("sqlite", V1);
        await using var _ = db;
        await audit.VerifyAsync();
        await using (var connection = db.Dialect.CreateConnection())
        {
            await connection.OpenAsync();
            await Dapper.SqlMapper.ExecuteAsync(connection, "CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_records BEGIN SELECT RAISE(ABORT, 'disk full'); END");
        }

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => governance.ChangeStatusAsync(Model, V1.Version!, LifecycleStatus.Retired, "admin"));

        var v1 = (await governance.GetAsync(Model, V1.Version!))!;
        Assert.Equal((LifecycleStatus.Approved, ModelGovernance.System), (v1.Status, v1.StatusChangedBy));
        Assert.Equal(V1.Version, governance.ApprovedVersion(Model));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Retiring_the_approved_version_leaves_no_approved_version(string dialect)
    {
        var (governance, _, db) = await RegisteredAsync(dialect, V1);
        await using var __ = db;

        var result = await governance.ChangeStatusAsync(Model, V1.Version!, LifecycleStatus.Retired, "admin");

        Assert.True(result.Changed);
        Assert.Null(governance.ApprovedVersion(Model));
        Assert.Empty(governance.SilentVersions(Model));
    }
}
