using ClinicianPortal.Data;
using ClinicianPortal.Tests.Infrastructure;
using static ClinicianPortal.Tests.Data.TestRecords;

namespace ClinicianPortal.Tests.Data;

/// <summary>The patient list: filters, sort, paging and totals, on both dialects.</summary>
public sealed class PatientSearchTests
{
    private static readonly DateTimeOffset T0 = new(2020, 1, 10, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Five patients with distinct ages, sexes, problems, encounter dates and event counts.</summary>
    private static async Task<TestDatabase> SeededAsync(string dialect)
    {
        var db = await TestDatabase.CreateAsync(dialect);
        await db.Store.StoreAsync(Batch("cohort.json",
            [
                Patient("pt-AAA1", "female", 42),
                Patient("pt-bbb2", "male", 47),
                Patient("pt-ccc3", "female", 8),
                Patient("pt-ddd4", "male", over89: true),
                Patient("pt-eee5", "other", age: null),
            ],
            [
                Encounter("e-a1", "pt-AAA1", T0),
                Encounter("e-a2", "pt-AAA1", T0.AddDays(30)),
                Condition("c-a1", "pt-AAA1", "Essential hypertension (disorder)"),
                Condition("c-a2", "pt-AAA1", "Type 2 diabetes mellitus"),
                Encounter("e-b1", "pt-bbb2", T0.AddDays(90)),
                Condition("c-b1", "pt-bbb2", "Hypertension resolved long ago", status: "resolved"),
                Condition("c-b2", "pt-bbb2", "Chronic obstructive lung disease"),
                Encounter("e-c1", "pt-ccc3", T0.AddDays(-400)),
                Condition("c-c1", "pt-ccc3", "Asthma 100%_sure"),
                Condition("c-d1", "pt-ddd4", "Heart failure"),
                Condition("c-d2", "pt-ddd4", "Heart failure"),
            ]));
        return db;
    }

    private static async Task<string[]> Ids(TestDatabase db, PatientQuery query) =>
        [.. (await db.Store.SearchAsync(query)).Items.Select(i => i.Patient.Id)];

    [Theory, SqliteData, PostgresData]
    public async Task Without_filters_every_patient_is_listed_by_id_with_total(string dialect)
    {
        await using var db = await SeededAsync(dialect);

        var page = await db.Store.SearchAsync(new PatientQuery());

        Assert.Equal(5, page.Total);
        Assert.Equal(["pt-AAA1", "pt-bbb2", "pt-ccc3", "pt-ddd4", "pt-eee5"], page.Items.Select(i => i.Patient.Id));
        var first = page.Items[0];
        Assert.Equal(["Essential hypertension (disorder)", "Type 2 diabetes mellitus"], first.ActiveProblems);
        Assert.Equal(4, first.EventCount);
        Assert.Equal(T0.AddDays(30), first.LastSeen);
        Assert.Equal(["Heart failure"], page.Items[3].ActiveProblems);
        Assert.Null(page.Items[4].LastSeen);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Pseudonym_search_matches_a_substring_ignoring_case(string dialect)
    {
        await using var db = await SeededAsync(dialect);

        Assert.Equal(["pt-AAA1"], await Ids(db, new PatientQuery { Search = "aaa" }));
        Assert.Equal(["pt-bbb2"], await Ids(db, new PatientQuery { Search = " B2 " }));
        Assert.Equal(5, (await db.Store.SearchAsync(new PatientQuery { Search = "pt-" })).Total);
        // Wildcards typed by the user are literal characters.
        Assert.Empty(await Ids(db, new PatientQuery { Search = "pt_" }));
        Assert.Empty(await Ids(db, new PatientQuery { Search = "%" }));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Age_band_filter_uses_ten_year_bands_and_90_plus(string dialect)
    {
        await using var db = await SeededAsync(dialect);

        Assert.Equal(["pt-AAA1", "pt-bbb2"], await Ids(db, new PatientQuery { AgeBand = "40-49" }));
        Assert.Equal(["pt-ccc3"], await Ids(db, new PatientQuery { AgeBand = "0-9" }));
        Assert.Equal(["pt-ddd4"], await Ids(db, new PatientQuery { AgeBand = "90+" }));
        Assert.Equal(["pt-eee5"], await Ids(db, new PatientQuery { AgeBand = "unknown" }));
        Assert.Empty(await Ids(db, new PatientQuery { AgeBand = "80-89" }));
        await Assert.ThrowsAsync<ArgumentException>(() => db.Store.SearchAsync(new PatientQuery { AgeBand = "old" }));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Sex_filter_matches_exactly_ignoring_case(string dialect)
    {
        await using var db = await SeededAsync(dialect);

        Assert.Equal(["pt-bbb2", "pt-ddd4"], await Ids(db, new PatientQuery { Sex = "Male" }));
        Assert.Equal(["pt-AAA1", "pt-ccc3"], await Ids(db, new PatientQuery { Sex = "female" }));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Condition_filter_matches_active_problems_only(string dialect)
    {
        await using var db = await SeededAsync(dialect);

        Assert.Equal(["pt-AAA1"], await Ids(db, new PatientQuery { Condition = "HYPERTENSION" }));
        Assert.Equal(["pt-ccc3"], await Ids(db, new PatientQuery { Condition = "100%_" }));
        Assert.Empty(await Ids(db, new PatientQuery { Condition = "resolved long ago" }));
        Assert.Equal(["pt-bbb2"], await Ids(db, new PatientQuery { Condition = "lung", Sex = "male", AgeBand = "40-49" }));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Sorting_by_age_puts_90_plus_oldest_and_unknown_last(string dialect)
    {
        await using var db = await SeededAsync(dialect);

        Assert.Equal(["pt-ccc3", "pt-AAA1", "pt-bbb2", "pt-ddd4", "pt-eee5"], await Ids(db, new PatientQuery { SortBy = PatientSort.Age }));
        Assert.Equal(["pt-ddd4", "pt-bbb2", "pt-AAA1", "pt-ccc3", "pt-eee5"], await Ids(db, new PatientQuery { SortBy = PatientSort.Age, Descending = true }));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Sorting_by_last_seen_event_count_and_sex(string dialect)
    {
        await using var db = await SeededAsync(dialect);

        Assert.Equal(["pt-bbb2", "pt-AAA1", "pt-ccc3", "pt-ddd4", "pt-eee5"], await Ids(db, new PatientQuery { SortBy = PatientSort.LastSeen, Descending = true }));
        Assert.Equal(["pt-ccc3", "pt-AAA1", "pt-bbb2", "pt-ddd4", "pt-eee5"], await Ids(db, new PatientQuery { SortBy = PatientSort.LastSeen }));
        Assert.Equal(["pt-AAA1", "pt-bbb2", "pt-ccc3", "pt-ddd4", "pt-eee5"], await Ids(db, new PatientQuery { SortBy = PatientSort.EventCount, Descending = true }));
        Assert.Equal(["pt-AAA1", "pt-ccc3", "pt-bbb2", "pt-ddd4", "pt-eee5"], await Ids(db, new PatientQuery { SortBy = PatientSort.Sex }));
        Assert.Equal(["pt-eee5", "pt-ddd4", "pt-ccc3", "pt-bbb2", "pt-AAA1"], await Ids(db, new PatientQuery { SortBy = PatientSort.Id, Descending = true }));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Paging_returns_the_requested_slice_and_the_full_total(string dialect)
    {
        await using var db = await SeededAsync(dialect);

        var page = await db.Store.SearchAsync(new PatientQuery { Skip = 1, Take = 2 });
        Assert.Equal(5, page.Total);
        Assert.Equal(["pt-bbb2", "pt-ccc3"], page.Items.Select(i => i.Patient.Id));

        var last = await db.Store.SearchAsync(new PatientQuery { Skip = 4, Take = 2 });
        Assert.Equal(["pt-eee5"], last.Items.Select(i => i.Patient.Id));

        var filtered = await db.Store.SearchAsync(new PatientQuery { Sex = "female", Skip = 1, Take = 1 });
        Assert.Equal(2, filtered.Total);
        Assert.Equal(["pt-ccc3"], filtered.Items.Select(i => i.Patient.Id));

        var beyond = await db.Store.SearchAsync(new PatientQuery { Skip = 10 });
        Assert.Empty(beyond.Items);
        Assert.Equal(5, beyond.Total);
        Assert.Equal(5, await db.Store.CountPatientsAsync());
    }
}
