using ClinicianPortal.Audit;
using ClinicianPortal.Data;
using ClinicianPortal.Shared.Governance.Audit;
using ClinicianPortal.Tests.Data;
using ClinicianPortal.Tests.Identity;
using ClinicianPortal.Tests.Infrastructure;
using Dapper;

namespace ClinicianPortal.Tests.Audit;

/// <summary>
/// The audit log in a real database of each dialect: appends form one chain (also when concurrent), the app
/// cannot change or delete a record, and someone who can (triggers dropped) is caught by the verification.
/// </summary>
public sealed class AuditStoreTests
{
    private static readonly ModelStamp Model = new("differential", "2026.11.1", new string('d', 64));

    private static async Task<AuditStore> StoreWithAsync(TestDatabase db, int records)
    {
        var store = new AuditStore(db.Dialect, db.Store, new ManualClock(new DateTimeOffset(2026, 11, 22, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567)));
        for (var i = 1; i <= records; i++)
            await store.AppendAsync(AuditEntry.For("physician", "patient-" + i, AuditKind.Differential, Model,
                new { findings = new[] { "fever" }, i }, new { candidates = new[] { new { condition = "pneumonia", probability = 0.42 } }, i }));
        return store;
    }

    [Theory, SqliteData, PostgresData]
    public async Task Appended_records_read_back_exactly_and_verify_intact(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var store = await StoreWithAsync(db, 3);

        var page = await store.PageAsync(0, 2);
        Assert.Equal(3, page.Total);
        Assert.Equal([3L, 2L], page.Items.Select(r => r.Id));
        var newest = page.Items[0];
        Assert.Equal(AuditHash.Compute(newest), newest.Hash);
        Assert.Equal("""{"candidates":[{"condition":"pneumonia","probability":0.42}],"i":3}""", newest.OutputJson);
        Assert.Equal(page.Items[1].Hash, newest.PreviousHash);

        var result = await store.VerifyAsync();
        Assert.True(result.Intact, result.ToString());
        Assert.Equal(3, result.Records);
        Assert.Equal(newest.Hash, result.HeadHash);
    }

    [Theory, SqliteData, PostgresData]
    public async Task An_empty_log_is_intact(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var result = await new AuditStore(db.Dialect, db.Store, TimeProvider.System).VerifyAsync();
        Assert.True(result.Intact);
        Assert.Equal(0, result.Records);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Concurrent_appends_form_one_unforked_chain(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        // Two stores on one database: like two app processes, they only share the database's lock.
        var stores = new[] { await StoreWithAsync(db, 0), await StoreWithAsync(db, 0) };
        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() => stores[i % 2].AppendAsync(
            AuditEntry.For("careteam", "p" + i, AuditKind.Summary, Model, new { i }, new { text = "summary " + i })))));

        var result = await stores[0].VerifyAsync();
        Assert.True(result.Intact, result.ToString());
        Assert.Equal(24, result.Records);
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_app_cannot_update_or_delete_a_record(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        await StoreWithAsync(db, 2);
        await using var connection = db.Dialect.CreateConnection();
        var update = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync("UPDATE audit_records SET output_json = '{}' WHERE id = 1"));
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync("DELETE FROM audit_records WHERE id = 2"));
        Assert.Equal(2, await db.CountAsync("audit_records"));
    }

    [Theory, SqliteData, PostgresData]
    public Task An_altered_output_is_found_at_its_record(string dialect) =>
        AssertTamperingFoundAsync(dialect, """UPDATE audit_records SET output_json = '{"candidates":[]}' WHERE id = 3""", 3, AuditBreak.Altered);

    [Theory, SqliteData, PostgresData]
    public Task A_deleted_record_is_found_at_the_record_after_it(string dialect) =>
        AssertTamperingFoundAsync(dialect, "DELETE FROM audit_records WHERE id = 3", 4, AuditBreak.Deleted);

    [Theory, SqliteData, PostgresData]
    public Task Reordered_records_are_found(string dialect) =>
        AssertTamperingFoundAsync(dialect,
            "UPDATE audit_records SET id = -1 WHERE id = 3; UPDATE audit_records SET id = 3 WHERE id = 4; UPDATE audit_records SET id = 4 WHERE id = -1",
            3, AuditBreak.Reordered);

    [Theory, SqliteData, PostgresData]
    public Task A_modified_previous_hash_is_found(string dialect) =>
        AssertTamperingFoundAsync(dialect, $"UPDATE audit_records SET previous_hash = '{new string('e', 64)}' WHERE id = 4", 4, AuditBreak.LinkBroken);

    private static async Task AssertTamperingFoundAsync(string dialect, string sql, long brokenId, AuditBreak expected)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var store = await StoreWithAsync(db, 5);
        Assert.True((await store.VerifyAsync()).Intact);
        await TamperAsync(db, sql);

        var result = await store.VerifyAsync();
        Assert.False(result.Intact, sql + " was not found");
        Assert.Equal((brokenId, expected), (result.BrokenRecordId!.Value, result.Break!.Value));
    }

    /// <summary>Someone with the database's owner rights: drops the append-only triggers, then changes rows.</summary>
    private static async Task TamperAsync(TestDatabase db, string sql)
    {
        await using var connection = db.Dialect.CreateConnection();
        await connection.ExecuteAsync(db.Provider == StorageProvider.PostgreSQL
            ? "DROP TRIGGER audit_records_no_change ON audit_records"
            : "DROP TRIGGER audit_records_no_update; DROP TRIGGER audit_records_no_delete");
        await connection.ExecuteAsync(sql);
    }
}
