using ClinicianPortal.Api;
using ClinicianPortal.Api.Keys;
using ClinicianPortal.Tests.Data;
using ClinicianPortal.Tests.Identity;
using ClinicianPortal.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicianPortal.Tests.Api;

/// <summary>The API call log's paging, per-key usage and retention, on a real database of each dialect.</summary>
public sealed class ApiCallLogTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    private static ApiCall Call(string? keyId, DateTimeOffset at, int status = 200, string? patient = null) =>
        new(keyId, "GET", "/api/v1/patients/{patientId}", patient, status, at, TimeSpan.FromMilliseconds(12));

    [Theory, SqliteData, PostgresData]
    public async Task Pruning_deletes_the_calls_older_than_the_retention_period_and_keeps_the_rest(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var log = new ApiCallLog(db.Dialect, db.Store);
        await log.AppendAsync(Call("old", Now - TimeSpan.FromDays(91)));
        await log.AppendAsync(Call("old", Now - TimeSpan.FromDays(90) - TimeSpan.FromSeconds(1)));
        await log.AppendAsync(Call("kept", Now - TimeSpan.FromDays(89)));
        await log.AppendAsync(Call("kept", Now - TimeSpan.FromMinutes(1)));
        var pruner = new ApiCallLogPruner(log, new ApiOptions { CallLogRetentionDays = 90 }, new ManualClock(Now), NullLogger<ApiCallLogPruner>.Instance);

        Assert.Equal(2, await pruner.PruneAsync());
        Assert.Equal(["kept", "kept"], (await log.RecentAsync(10)).Select(c => c.KeyId));
        Assert.Equal(0, await pruner.PruneAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_pruner_service_prunes_when_the_app_starts(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var log = new ApiCallLog(db.Dialect, db.Store);
        await log.AppendAsync(Call("old", DateTimeOffset.UtcNow - TimeSpan.FromDays(8)));
        await log.AppendAsync(Call("recent", DateTimeOffset.UtcNow - TimeSpan.FromDays(6)));
        using var pruner = new ApiCallLogPruner(log, new ApiOptions { CallLogRetentionDays = 7 }, TimeProvider.System, NullLogger<ApiCallLogPruner>.Instance);

        await pruner.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while ((await log.RecentAsync(10)).Count > 1 && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.Equal(["recent"], (await log.RecentAsync(10)).Select(c => c.KeyId));
        }
        finally
        {
            await pruner.StopAsync(CancellationToken.None);
        }
    }

    [Theory, SqliteData, PostgresData]
    public async Task Usage_counts_each_keys_calls_and_its_last_call(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var log = new ApiCallLog(db.Dialect, db.Store);
        await log.AppendAsync(Call("a", Now - TimeSpan.FromHours(2)));
        await log.AppendAsync(Call("a", Now - TimeSpan.FromHours(1), status: 429));
        await log.AppendAsync(Call("b", Now - TimeSpan.FromHours(3)));
        await log.AppendAsync(Call(null, Now)); // no known key: counted for nobody

        var usage = await log.UsageByKeyAsync();

        Assert.Equal(2, usage.Count);
        Assert.Equal(new ApiKeyUsage(2, Now - TimeSpan.FromHours(1)), usage["a"]);
        Assert.Equal(new ApiKeyUsage(1, Now - TimeSpan.FromHours(3)), usage["b"]);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_keys_calls_come_in_pages_newest_first_with_the_total(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var log = new ApiCallLog(db.Dialect, db.Store);
        for (var i = 0; i < 7; i++) await log.AppendAsync(Call("a", Now + TimeSpan.FromMinutes(i), patient: "p" + i));
        await log.AppendAsync(Call("other", Now + TimeSpan.FromHours(1)));

        var first = await log.PageAsync("a", 0, 3);
        var last = await log.PageAsync("a", 6, 3);

        Assert.Equal(7, first.Total);
        Assert.Equal(["p6", "p5", "p4"], first.Calls.Select(c => c.PatientId));
        Assert.Equal(["p0"], last.Calls.Select(c => c.PatientId));
        Assert.Equal(0, (await log.PageAsync("nobody", 0, 3)).Total);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public void A_retention_of_less_than_a_day_is_refused_naming_the_setting(string days)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create<string, string?>("Api:CallLogRetentionDays", days)]).Build();
        var error = Assert.Throws<InvalidOperationException>(() => ApiOptions.From(configuration));
        Assert.Contains("Api:CallLogRetentionDays", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_retention_defaults_to_90_days()
    {
        Assert.Equal(90, ApiOptions.From(new ConfigurationBuilder().Build()).CallLogRetentionDays);
    }
}
