using ClinicianPortal.Dashboards;
using ClinicianPortal.Shared.Governance.Validation;
using ClinicianPortal.Tests.Data;
using ClinicianPortal.Tests.Infrastructure;
using E = ClinicianPortal.Tests.Dashboards.DashboardData.Expected;

namespace ClinicianPortal.Tests.Dashboards;

/// <summary>The dashboard reader over real databases of each dialect, with rows inserted as the validation and annotation features write them.</summary>
public sealed class DashboardReaderTests
{
    private static async Task<(TestDatabase Db, DashboardReader Reader)> SeededAsync(string dialect)
    {
        var db = await TestDatabase.CreateAsync(dialect);
        await DashboardData.SeedAsync(db.Dialect, db.Store);
        return (db, new DashboardReader(db.Dialect, db.Store, new ClinicianPortal.Validation.ValidationOptions()));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_model_version_is_summarized_with_the_hand_computed_numbers(string dialect)
    {
        var (db, reader) = await SeededAsync(dialect);
        await using var _ = db;
        var dashboard = await reader.ReadAsync(new DashboardQuery(DashboardData.ModelId, DashboardData.Version));

        Assert.Equal((E.Sampled, E.Rated, E.FullyRated, E.Raters, E.Ratings),
            (dashboard.SampledOutputs, dashboard.RatedOutputs, dashboard.FullyRatedOutputs, dashboard.Raters, dashboard.Ratings));

        var accurate = dashboard.Dimensions.Single(d => d.Dimension.Key == "accurate");
        Assert.Equal(4, accurate.Mean!.Count);
        Assert.Equal(E.AccurateMean, accurate.Mean.Mean, 5);
        Assert.Equal(E.AccurateLower, accurate.Mean.Confidence95!.Value.Lower, 5);
        Assert.Equal(E.AccurateUpper, accurate.Mean.Confidence95!.Value.Upper, 5);
        Assert.Equal(E.AccurateKappa, accurate.Kappa!.Value, 10);
        Assert.Equal(2, accurate.KappaOutputs);
        Assert.Equal(E.AccurateAlpha, accurate.Alpha!.Value, 10);
        Assert.Equal(3, accurate.AlphaOutputs);

        // Dimensions nobody scored have no estimate rather than a zero.
        var cited = dashboard.Dimensions.Single(d => d.Dimension.Key == "cited");
        Assert.Null(cited.Mean);
        Assert.Null(cited.Kappa);
        Assert.Null(cited.Alpha);
        Assert.Equal(Rubric.Dimensions.Count, dashboard.Dimensions.Count);

        Assert.Equal((E.HarmFlagged, E.HarmScored, E.HarmFlagRatings), (dashboard.Harm.FlaggedOutputs, dashboard.Harm.ScoredOutputs, dashboard.Harm.FlagRatings));
        Assert.Equal(E.HarmLower, dashboard.Harm.Rate!.Confidence95.Lower, 5);
        Assert.Equal(E.HarmUpper, dashboard.Harm.Rate.Confidence95.Upper, 5);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Annotations_are_counted_by_verdict_for_the_version_of_their_audited_output(string dialect)
    {
        var (db, reader) = await SeededAsync(dialect);
        await using var _ = db;
        var dashboard = await reader.ReadAsync(new DashboardQuery(DashboardData.ModelId, DashboardData.Version));

        // Replies have no verdict and are not counted; the older version's unsafe flag belongs to 1.0.
        Assert.Equal(
            [new VerdictCount("unsafe", 2, 1), new VerdictCount("agree", 1, 1), new VerdictCount("disagree", 1, 1)],
            dashboard.Verdicts);
        var older = await reader.ReadAsync(new DashboardQuery(DashboardData.ModelId, DashboardData.OlderVersion));
        Assert.Equal([new VerdictCount("unsafe", 1, 1)], older.Verdicts);
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_trend_gives_the_mean_of_each_day_of_rating(string dialect)
    {
        var (db, reader) = await SeededAsync(dialect);
        await using var _ = db;
        var trend = (await reader.ReadAsync(new DashboardQuery(DashboardData.ModelId, DashboardData.Version))).Trend;

        Assert.Equal([DashboardData.Day1, DashboardData.Day2], trend.Select(p => p.Day));
        Assert.Equal([6, 2], trend.Select(p => p.Ratings));
        Assert.Equal(E.Day1Quality, trend[0].Quality!.Value, 10);
        Assert.Equal(E.Day1Harm, trend[0].MeanByDimension[Rubric.Harm], 10);
        Assert.Equal(E.Day2Quality, trend[1].Quality!.Value, 10);
        Assert.Equal(E.Day2Harm, trend[1].MeanByDimension[Rubric.Harm], 10);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_task_filter_keeps_only_that_tasks_outputs(string dialect)
    {
        var (db, reader) = await SeededAsync(dialect);
        await using var _ = db;
        var dashboard = await reader.ReadAsync(new DashboardQuery(DashboardData.ModelId, DashboardData.Version, "differential"));

        // Without summary output D: sampled A B C E, rated A B C, all three by two or more validators.
        Assert.Equal((4, 3, 3), (dashboard.SampledOutputs, dashboard.RatedOutputs, dashboard.FullyRatedOutputs));
        // Accurate: (4.5 + 2.5 + 14/3) / 3 = 3.888889.
        Assert.Equal(3.888889, dashboard.Dimensions.Single(d => d.Dimension.Key == "accurate").Mean!.Mean, 5);
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_picker_lists_each_version_and_task_and_versions_that_were_only_annotated(string dialect)
    {
        var (db, reader) = await SeededAsync(dialect);
        await using var _ = db;
        var choices = await reader.ChoicesAsync();

        Assert.Equal(
        [
            new DashboardChoice(DashboardData.AnnotatedOnlyModel, "0.1", DashboardReader.AllTasks, 0),
            new DashboardChoice(DashboardData.ModelId, DashboardData.Version, "differential", 4),
            new DashboardChoice(DashboardData.ModelId, DashboardData.Version, "summary", 1),
            new DashboardChoice(DashboardData.ModelId, DashboardData.OlderVersion, "differential", 1),
        ], choices);
    }

    [Theory, SqliteData, PostgresData]
    public async Task An_empty_database_has_no_choices_and_an_unrated_version_has_no_ratings(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var reader = new DashboardReader(db.Dialect, db.Store, new ClinicianPortal.Validation.ValidationOptions());
        Assert.Empty(await reader.ChoicesAsync());

        var dashboard = await reader.ReadAsync(new DashboardQuery("no-such-model", "1"));
        Assert.False(dashboard.HasRatings);
        Assert.Equal(0, dashboard.SampledOutputs);
        Assert.Null(dashboard.Harm.Rate);
        Assert.Empty(dashboard.Trend);
        Assert.Empty(dashboard.Verdicts);
        Assert.All(dashboard.Dimensions, d => Assert.Null(d.Mean));
    }
}
