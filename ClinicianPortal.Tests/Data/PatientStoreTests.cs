using System.Text.Json;
using ClinicianPortal.Data;
using ClinicianPortal.Shared.Records;
using ClinicianPortal.Tests.Infrastructure;
using static ClinicianPortal.Tests.Data.TestRecords;

namespace ClinicianPortal.Tests.Data;

/// <summary>The store against real databases: every test runs on SQLite and on PostgreSQL.</summary>
public sealed class PatientStoreTests
{
    private static readonly DateTimeOffset T0 = new(2020, 1, 10, 8, 0, 0, TimeSpan.Zero);

    [Theory, SqliteData, PostgresData]
    public async Task Migrations_create_the_schema_once_and_rerunning_them_changes_nothing(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);

        var first = await SchemaMigrator.MigrateAsync(db.Dialect);
        Assert.Equal(SchemaMigrator.Load(db.Dialect.MigrationFolder).Select(m => m.Version), first);
        Assert.Contains(1, first);
        foreach (var table in new[] { "patients", "events", "identifier_hashes", "import_log" })
            Assert.Equal(0, await db.CountAsync(table));
        var before = await db.SnapshotAsync();

        var second = await SchemaMigrator.MigrateAsync(db.Dialect);

        Assert.Empty(second);
        Assert.Equal(before, await db.SnapshotAsync());
        Assert.Equal(first.Count, await db.CountAsync("schema_version"));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Stored_patient_and_events_read_back_with_every_field(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var patient = Patient("p-1") with { DeceasedDate = new DateOnly(2021, 12, 31), State = "Ohio" };
        var encounter = Encounter("e-1", "p-1", T0);
        var observation = FullObservation("o-1", "p-1", "e-1");

        await db.Store.StoreAsync(Batch("one.json", [patient], [encounter, observation]));

        Assert.Equal(patient, await db.Store.GetPatientAsync("p-1"));
        var readBack = await db.Store.GetEventAsync("o-1");
        Assert.NotNull(readBack);
        Assert.Equal(JsonSerializer.Serialize(observation), JsonSerializer.Serialize(readBack));
        Assert.Equal(observation.Start!.Value.Offset, readBack.Start!.Value.Offset);
        Assert.Equal(JsonSerializer.Serialize(encounter), JsonSerializer.Serialize(await db.Store.GetEventAsync("e-1")));
        Assert.Null(await db.Store.GetPatientAsync("p-unknown"));
        Assert.Null(await db.Store.GetEventAsync("o-unknown"));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Over_89_patient_without_birth_date_round_trips(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var patient = Patient("p-old", over89: true);

        await db.Store.StoreAsync(Batch("old.json", [patient]));

        var readBack = await db.Store.GetPatientAsync("p-old");
        Assert.Equal(patient, readBack);
        Assert.Equal("90+", readBack!.AgeText);
        Assert.Null(readBack.BirthDate);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Events_come_back_in_chronological_order_with_undated_ones_last(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var late = Encounter("e-late", "p-1", T0.AddYears(2));
        var early = Condition("c-early", "p-1", "Asthma", start: T0.AddYears(-3));
        var undated = Condition("c-undated", "p-1", "Hay fever") with { Start = null };
        // A later instant written with an offset that makes its local clock time earlier.
        var offset = Encounter("e-offset", "p-1", new DateTimeOffset(2020, 1, 10, 7, 0, 0, TimeSpan.FromHours(-5)));

        await db.Store.StoreAsync(Batch("b.json", [Patient("p-1")], [late, undated, offset, early]));

        var ids = (await db.Store.GetEventsAsync("p-1")).Select(e => e.Id);
        Assert.Equal(["c-early", "e-offset", "e-late", "c-undated"], ids);
        Assert.Empty(await db.Store.GetEventsAsync("p-other"));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Storing_the_same_batch_again_changes_nothing(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var batch = Batch("same.json", [Patient("p-1"), Patient("p-2", "male")],
            [Encounter("e-1", "p-1", T0), Condition("c-1", "p-1", "Hypertension", encounterId: "e-1"), FullObservation("o-1", "p-2", "e-1")],
            [new IdentifierHash("p-1", "h1"), new IdentifierHash(null, "h-global"), new IdentifierHash(null, "h-global")]);

        await db.Store.StoreAsync(batch);
        var once = await db.SnapshotAsync();
        await db.Store.StoreAsync(batch);

        Assert.Equal(once, await db.SnapshotAsync());
        Assert.Equal(2, await db.CountAsync("patients"));
        Assert.Equal(3, await db.CountAsync("events"));
        Assert.Equal(2, await db.CountAsync("identifier_hashes"));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_large_batch_spanning_many_insert_statements_is_stored_whole(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        // 250 patients and 1,001 events: several full multi-row statements plus a shorter last one.
        var patients = Enumerable.Range(0, 250).Select(i => Patient($"p-{i:D3}", age: i % 100)).ToList();
        var events = Enumerable.Range(0, 1001).Select(i => FullObservation($"o-{i:D4}", $"p-{i % 250:D3}", "e-x") with { Title = $"Obs {i}" }).ToList();

        await db.Store.StoreAsync(Batch("big.ndjson", patients, events));

        Assert.Equal(250, await db.Store.CountPatientsAsync());
        Assert.Equal(1001, await db.CountAsync("events"));
        Assert.Equal("Obs 1000", (await db.Store.GetEventAsync("o-1000"))!.Title);
        Assert.Equal(JsonSerializer.Serialize(events[517]), JsonSerializer.Serialize(await db.Store.GetEventAsync("o-0517")));
        Assert.Equal(patients[249], await db.Store.GetPatientAsync("p-249"));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_resource_listed_twice_in_one_batch_is_stored_once_with_its_last_version(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);

        await db.Store.StoreAsync(Batch("dup.json", [Patient("p-1", age: 30), Patient("p-1", age: 31)],
            [Condition("c-1", "p-1", "Asthma"), Condition("c-1", "p-1", "Asthma", status: "resolved")]));

        Assert.Equal(31, (await db.Store.GetPatientAsync("p-1"))!.Age);
        Assert.Equal("resolved", (await db.Store.GetEventAsync("c-1"))!.Status);
        Assert.Equal(1, await db.CountAsync("events"));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Storing_a_changed_resource_again_updates_it_in_place(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        await db.Store.StoreAsync(Batch("v1.json", [Patient("p-1")], [Condition("c-1", "p-1", "Sinusitis")]));

        await db.Store.StoreAsync(Batch("v2.json", [Patient("p-1", age: 46)], [Condition("c-1", "p-1", "Sinusitis", status: "resolved")]));

        Assert.Equal(46, (await db.Store.GetPatientAsync("p-1"))!.Age);
        Assert.Equal("resolved", (await db.Store.GetEventAsync("c-1"))!.Status);
        Assert.Equal(1, await db.CountAsync("events"));
        var item = Assert.Single((await db.Store.SearchAsync(new PatientQuery())).Items);
        Assert.Empty(item.ActiveProblems);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Batch_referencing_a_patient_that_is_not_stored_is_rejected_and_changes_nothing(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        await db.Store.StoreAsync(Batch("patients.ndjson", [Patient("p-1")], [Encounter("e-1", "p-1", T0)]));
        var before = await db.SnapshotAsync();

        var batch = Batch("Condition.000.ndjson", [],
            [Condition("c-1", "p-1", "Asthma"), Condition("c-2", "p-missing", "Secret diagnosis")],
            [new IdentifierHash("p-missing", "h")], externalPatients: ["p-1", "p-missing"]);
        var error = await Assert.ThrowsAsync<ImportException>(() => db.Store.StoreAsync(batch));

        Assert.Contains("Condition.000.ndjson", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 referenced patient is neither in this file nor already imported", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("p-missing", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await db.SnapshotAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task Batch_referencing_an_encounter_that_is_not_stored_is_rejected_and_changes_nothing(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        await db.Store.StoreAsync(Batch("patients.ndjson", [Patient("p-1")], [Encounter("e-1", "p-1", T0)]));
        var before = await db.SnapshotAsync();

        var batch = Batch("notes.ndjson", [Patient("p-2")], [Condition("c-1", "p-2", "Asthma", encounterId: "e-missing")],
            externalPatients: ["p-1"], externalEvents: ["e-1", "e-missing", "e-missing-2"]);
        var error = await Assert.ThrowsAsync<ImportException>(() => db.Store.StoreAsync(batch));

        Assert.StartsWith("notes.ndjson: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 referenced encounter or other events are neither in this file nor already imported", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await db.SnapshotAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task References_to_stored_patients_and_encounters_are_accepted(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        await db.Store.StoreAsync(Batch("Patient.ndjson", [Patient("p-1")]));
        await db.Store.StoreAsync(Batch("Encounter.ndjson", events: [Encounter("e-1", "p-1", T0)], externalPatients: ["p-1"]));

        await db.Store.StoreAsync(Batch("Condition.ndjson", events: [Condition("c-1", "p-1", "Asthma", encounterId: "e-1")],
            externalPatients: ["p-1"], externalEvents: ["e-1"]));

        Assert.Equal(["c-1", "e-1"], (await db.Store.GetEventsAsync("p-1")).Select(e => e.Id));
        var item = Assert.Single((await db.Store.SearchAsync(new PatientQuery())).Items);
        Assert.Equal(["Asthma"], item.ActiveProblems);
        Assert.Equal(2, item.EventCount);
        Assert.Equal(T0, item.LastSeen);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_constraint_violation_in_the_middle_of_a_batch_rolls_back_everything(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        await db.Store.StoreAsync(Batch("first.json", [Patient("p-1")], [Encounter("e-1", "p-1", T0)], [new IdentifierHash("p-1", "h1")]));
        var before = await db.SnapshotAsync();

        // New patients and events, an update of a stored patient, then an event whose patient exists nowhere
        // (the importer would never produce it): the foreign key fails after the other rows were written.
        var batch = Batch("broken.json", [Patient("p-1", age: 77), Patient("p-2")],
            [Encounter("e-2", "p-2", T0), Condition("c-bad", "p-nowhere", "Asthma"), Condition("c-3", "p-2", "Gout")],
            [new IdentifierHash("p-2", "h2")]);
        await Assert.ThrowsAnyAsync<Exception>(() => db.Store.StoreAsync(batch));

        Assert.Equal(before, await db.SnapshotAsync());
        Assert.Equal(45, (await db.Store.GetPatientAsync("p-1"))!.Age);

        // The store still works after the failed transaction.
        await db.Store.StoreAsync(Batch("fixed.json", [Patient("p-2")], [Encounter("e-2", "p-2", T0)]));
        Assert.Equal(2, await db.Store.CountPatientsAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task Concurrent_imports_and_reads_all_succeed(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        await db.Store.StoreAsync(Batch("base.json", [Patient("p-base")], [Encounter("e-base", "p-base", T0)]));

        // Eight writers (each also checking a stored reference) and readers at once, as when the UI is open during an import.
        var writers = Enumerable.Range(0, 8).Select(i => Task.Run(() => db.Store.StoreAsync(Batch($"w{i}.json", [Patient($"p-{i}")],
            [.. Enumerable.Range(0, 50).Select(k => Condition($"c-{i}-{k}", $"p-{i}", "Asthma", encounterId: "e-base"))],
            externalEvents: ["e-base"]))));
        var readers = Enumerable.Range(0, 8).Select(_ => Task.Run(() => db.Store.SearchAsync(new PatientQuery { Condition = "asthma" })));
        await Task.WhenAll([.. writers, .. readers]);

        Assert.Equal(9, await db.Store.CountPatientsAsync());
        Assert.Equal(8 * 50 + 1, await db.CountAsync("events"));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Known_identifiers_are_the_patients_own_and_the_global_ones(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        await db.Store.StoreAsync(Batch("a.json", [Patient("p-1"), Patient("p-2")],
            hashes: [new IdentifierHash("p-1", "mine"), new IdentifierHash("p-2", "theirs"), new IdentifierHash(null, "everyone")]));

        var known = await db.Store.ForPatientAsync("p-1", CancellationToken.None);

        Assert.Equal(["everyone", "mine"], known.Order(StringComparer.Ordinal));
        Assert.Equal(["everyone"], await db.Store.ForPatientAsync("p-unknown", CancellationToken.None));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Import_log_keeps_counts_and_outcome_newest_first(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var ok = new ImportLogEntry("a.json", T0, true, 1, 200, 230, 30, TimeSpan.FromMilliseconds(1250), null);
        var failed = new ImportLogEntry("b.json", T0.AddMinutes(1), false, 0, 0, 0, 0, TimeSpan.FromMilliseconds(20), "b.json: entry 3 (Observation): subject.reference: missing");

        await db.Store.AppendAsync(ok);
        await db.Store.AppendAsync(failed);

        Assert.Equal([failed, ok], await db.Store.RecentAsync(10));
        Assert.Equal([failed], await db.Store.RecentAsync(1));
    }
}
