using System.Text.Json.Nodes;
using ClinicianPortal.Audit;
using ClinicianPortal.Data;
using ClinicianPortal.Shared.Governance.Audit;
using ClinicianPortal.Shared.Governance.Validation;
using ClinicianPortal.Tests.Governance.Validation;
using ClinicianPortal.Tests.Import;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Validation;

namespace ClinicianPortal.Tests.Validation;

/// <summary>The `validation sample` and `validation export` verbs run in-process against a temporary SQLite folder.</summary>
[Collection(nameof(ConsoleAndEnvironment))]
public sealed class ValidationCommandTests : IAsyncLifetime
{
    private readonly CliDataFolder folder = new();
    private SqliteDialect dialect = default!;

    public async Task InitializeAsync()
    {
        dialect = new SqliteDialect($"Data Source={folder.DatabasePath}");
        var store = new AuditStore(dialect, new PatientStore(dialect), TimeProvider.System);
        for (var i = 0; i < 4; i++)
            await store.AppendAsync(AuditEntry.For("physician", "p" + i, AuditKind.CaseReview, new ModelStamp("differential", "cli-1", new string('c', 64)), new { i }, new { review = i }));
    }

    [Fact]
    public async Task Sample_tops_each_stratum_up_once_and_export_writes_the_rated_outputs()
    {
        var (code, output, _) = await CliRunner.RunAsync("validation", "sample", "--per-stratum", "2");
        Assert.Equal(0, code);
        Assert.Contains("6 item(s) added", output, StringComparison.Ordinal);
        Assert.Matches(@"differential\s+cli-1\s+summary\s+2\s+2\s+4", output);
        (code, output, _) = await CliRunner.RunAsync("validation", "sample", "--per-stratum", "2");
        Assert.Equal(0, code);
        Assert.Contains("0 item(s) added", output, StringComparison.Ordinal);

        var store = new ValidationStore(dialect, new PatientStore(dialect), new ValidationOptions(), TimeProvider.System);
        var item = (await store.QueueAsync("validator")).Items[0];
        await store.RateAsync(item.Id, "validator", new Rating(RatingTests.AllScores(5), "ok"));
        var file = Path.Combine(folder.DataDirectory, "ratings.jsonl");
        (code, output, _) = await CliRunner.RunAsync("validation", "export", file);
        Assert.Equal(0, code);
        Assert.Contains("1 rated output(s)", output, StringComparison.Ordinal);
        var line = JsonNode.Parse(Assert.Single(await File.ReadAllLinesAsync(file)))!;
        Assert.Equal(item.Id, (long)line["itemId"]!);
        Assert.Equal(item.AuditRecordId, (long)line["output"]!["review"]! + 1);
    }

    [Theory]
    [InlineData]
    [InlineData("sample", "--per-stratum", "0")]
    [InlineData("sample", "--per-stratum")]
    [InlineData("export")]
    [InlineData("rate")]
    public async Task Validation_without_a_known_subcommand_is_a_usage_error(params string[] rest)
    {
        var (code, _, error) = await CliRunner.RunAsync(["validation", .. rest]);
        Assert.Equal(2, code);
        Assert.Contains("Usage", error, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await dialect.DisposeAsync();
        folder.Dispose();
    }
}
