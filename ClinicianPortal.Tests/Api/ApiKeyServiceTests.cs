using ClinicianPortal.Api.Keys;
using ClinicianPortal.Tests.Data;
using ClinicianPortal.Tests.Infrastructure;
using Dapper;

namespace ClinicianPortal.Tests.Api;

/// <summary>ApiKeyService and ApiCallLog on each store dialect (migration 0004).</summary>
public sealed class ApiKeyServiceTests
{
    private static ApiKeyService Service(TestDatabase db) => new(db.Dialect, db.Store, TimeProvider.System);

    [Theory]
    [SqliteData]
    [PostgresData]
    public async Task A_created_key_is_stored_as_a_hash_and_checks_valid_with_its_scopes(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var keys = Service(db);

        var created = await keys.CreateAsync("  EHR bridge ", ["import", "READ"], 30);

        Assert.Matches("^cpk_[a-z2-9]{12}_[0-9a-f]{64}$", created.Token);
        Assert.Equal(("EHR bridge", 30), (created.Key.Name, created.Key.RatePerMinute));
        Assert.Equal(["read", "import"], created.Key.Scopes);
        await using (var connection = db.Dialect.CreateConnection())
        {
            var stored = await connection.QuerySingleAsync<string>("SELECT secret_sha256 FROM api_keys");
            Assert.DoesNotContain(stored, created.Token, StringComparison.Ordinal);
            Assert.Equal(64, stored.Length);
        }
        var check = await keys.CheckAsync(created.Token);
        Assert.Equal(created.Key.Id, check.Key?.Id);
        Assert.Equal(created.Key.Scopes, check.Key!.Scopes);
        Assert.Null((await keys.CheckAsync(created.Token + "0")).Key);
    }

    [Theory]
    [SqliteData]
    [PostgresData]
    public async Task Revoking_a_key_refuses_it_and_lists_it_as_revoked(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var keys = Service(db);
        var kept = await keys.CreateAsync("kept", ["read"]);
        var revoked = await keys.CreateAsync("revoked", ["read"]);

        Assert.True(await keys.RevokeAsync(revoked.Key.Id));

        var check = await keys.CheckAsync(revoked.Token);
        Assert.Null(check.Key);
        Assert.Equal(revoked.Key.Id, check.KnownKeyId);
        Assert.NotNull((await keys.CheckAsync(kept.Token)).Key);
        var list = (await keys.ListAsync()).ToDictionary(k => k.Name);
        Assert.True(list["revoked"].IsRevoked);
        Assert.False(list["kept"].IsRevoked);
        Assert.False(await keys.RevokeAsync("no-such-key"));
    }

    [Fact]
    public async Task Creating_a_key_rejects_unknown_scopes_no_scope_no_name_and_silly_rates()
    {
        await using var db = await TestDatabase.CreateAsync("sqlite");
        var keys = Service(db);

        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => keys.CreateAsync("x", ["read", "admin"]));
        Assert.Contains("admin", unknown.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => keys.CreateAsync("x", [" "]));
        await Assert.ThrowsAsync<ArgumentException>(() => keys.CreateAsync(" ", ["read"]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => keys.CreateAsync("x", ["read"], 0));
        Assert.Empty(await keys.ListAsync());
    }

    [Theory]
    [SqliteData]
    [PostgresData]
    public async Task The_call_log_keeps_calls_most_recent_first_per_key(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var log = new ApiCallLog(db.Dialect, db.Store);
        var now = DateTimeOffset.UtcNow;

        await log.AppendAsync(new ApiCall("k1", "GET", "/api/v1/patients", null, 200, now, TimeSpan.FromMilliseconds(3)));
        await log.AppendAsync(new ApiCall(null, "GET", "/api/v1/patients/{patientId}", "p-1", 401, now, TimeSpan.Zero));
        await log.AppendAsync(new ApiCall("k1", "POST", "/api/v1/import", null, 422, now, TimeSpan.FromMilliseconds(40)));

        var all = await log.RecentAsync(10);
        Assert.Equal([422, 401, 200], all.Select(c => c.Status));
        Assert.Equal("p-1", all[1].PatientId);
        Assert.Equal([422, 200], (await log.RecentAsync(10, "k1")).Select(c => c.Status));
        Assert.Equal(TimeSpan.FromMilliseconds(40), all[0].Duration);
    }
}
