using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Audit;
using ClinicianPortal.Cli;
using ClinicianPortal.Data;
using ClinicianPortal.Shared.Governance.Audit;
using ClinicianPortal.Tests.Import;
using Dapper;

namespace ClinicianPortal.Tests.Audit;

/// <summary>The `audit verify` verb run in-process against a temporary SQLite folder.</summary>
[Collection(nameof(ConsoleAndEnvironment))]
public sealed class AuditCommandTests : IAsyncLifetime
{
    private readonly CliDataFolder folder = new();
    private SqliteDialect dialect = default!;

    public async Task InitializeAsync()
    {
        dialect = new SqliteDialect($"Data Source={folder.DatabasePath}");
        var store = new AuditStore(dialect, new PatientStore(dialect), TimeProvider.System);
        for (var i = 0; i < 4; i++)
            await store.AppendAsync(AuditEntry.For("physician", "p" + i, AuditKind.Evidence, new ModelStamp("evidence", "1", new string('0', 64)), new { i }, new { cites = i }));
    }

    [Fact]
    public async Task Verify_exits_0_for_an_intact_log_and_1_naming_the_first_broken_record()
    {
        var (code, output, _) = await CliRunner.RunAsync("audit", "verify");
        Assert.Equal(0, code);
        Assert.Contains("intact: 4 record(s)", output, StringComparison.Ordinal);

        await using (var connection = dialect.CreateConnection())
            await connection.ExecuteAsync("DROP TRIGGER audit_records_no_delete; DELETE FROM audit_records WHERE id = 2");
        (code, _, var error) = await CliRunner.RunAsync("audit", "verify");
        Assert.Equal(1, code);
        Assert.Contains("broken at record 3 (deleted): record 2 before record 3 is missing", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_without_verify_is_a_usage_error()
    {
        Assert.Equal(2, (await CliRunner.RunAsync("audit")).ExitCode);
        Assert.Equal(2, (await CliRunner.RunAsync("audit", "fix")).ExitCode);
    }


    public async Task DisposeAsync()
    {
        await dialect.DisposeAsync();
        folder.Dispose();
    }
}
