using System.Text.Json;
using ClinicianPortal.Cli;
using ClinicianPortal.Tests.Import;
using ClinicianPortal.Tests.Infrastructure;

namespace ClinicianPortal.Tests.CaseReview;

/// <summary>The `review` verb run in-process, as `dotnet run -- review ...` runs it: prints JSON, stores nothing.</summary>
[Collection(nameof(ConsoleAndEnvironment))]
public sealed class ReviewCommandTests : IDisposable
{
    private static readonly string SampleData = Path.Combine(TestEnvironment.RepositoryRoot, "ClinicianPortal", "SampleData");
    private readonly CliDataFolder folder = new();

    public ReviewCommandTests() => folder.Set("Inference__ModelsDirectory", Path.Combine(folder.Root, "models"));

    public void Dispose() => folder.Dispose();


    [Fact]
    public async Task Review_of_a_sample_bundle_prints_the_case_review_as_json_and_writes_nothing()
    {
        var (exitCode, output, error) = await CliRunner.RunAsync("review", Path.Combine(SampleData, "patient-0008-community-acquired-pneumonia.json"));

        Assert.True(exitCode == 0, error);
        using var json = JsonDocument.Parse(output);
        var review = Assert.Single(json.RootElement.EnumerateArray());
        Assert.StartsWith("PT-", review.GetProperty("patientId").GetString());
        Assert.Equal("emergency", review.GetProperty("setting").GetString());
        Assert.NotEmpty(review.GetProperty("findings").EnumerateArray());
        var sentences = review.GetProperty("summary").GetProperty("summary").GetProperty("sections").EnumerateArray()
            .SelectMany(s => s.GetProperty("sentences").EnumerateArray()).ToList();
        Assert.NotEmpty(sentences);
        Assert.All(sentences, s => Assert.NotEmpty(s.GetProperty("text").GetString()!));
        Assert.Contains(sentences, s => s.GetProperty("citations").GetArrayLength() > 0);
        Assert.True(review.GetProperty("summary").GetProperty("grounded").GetBoolean());
        var leader = review.GetProperty("differential")[0];
        Assert.Equal("community-acquired-pneumonia", leader.GetProperty("conditionId").GetString());
        Assert.InRange(leader.GetProperty("probability").GetDouble(), 0.5, 1);
        Assert.NotEmpty(leader.GetProperty("supporting")[0].GetProperty("citations").EnumerateArray());
        Assert.NotEmpty(review.GetProperty("nextTests").EnumerateArray());
        var model = review.GetProperty("provenance").GetProperty("models")[0];
        Assert.Equal("differential-kb", model.GetProperty("id").GetString());
        Assert.Matches("^[0-9a-f]{64}$", model.GetProperty("sha256").GetString());
        Assert.Matches("^[0-9a-f]{64}$", review.GetProperty("provenance").GetProperty("inputsSha256").GetString());
        // Nothing stored: no database, no de-identification key, and the temporary model folder is gone.
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.DataDirectory));
        Assert.False(Directory.Exists(Path.Combine(folder.Root, "models")));
    }

    [Fact]
    public async Task A_malformed_file_exits_with_1_and_says_which_file_cannot_be_read()
    {
        var broken = Path.Combine(folder.Root, "broken-bundle.json");
        await File.WriteAllTextAsync(broken, """{"resourceType": "Bundle", "entry": [ {"resource": """);

        var (exitCode, output, error) = await CliRunner.RunAsync("review", broken);

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Contains("cannot read 'broken-bundle.json'", error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.DataDirectory));
    }

    [Fact]
    public async Task A_missing_file_exits_with_1_and_no_arguments_with_2()
    {
        var missing = await CliRunner.RunAsync("review", Path.Combine(folder.Root, "nope.json"));
        var usage = await CliRunner.RunAsync("review");

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no such file", missing.Error);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("Usage: ClinicianPortal review", usage.Error);
    }

    [Fact]
    public async Task An_ndjson_set_without_its_patient_file_exits_with_1_and_asks_for_it()
    {
        var conditions = Directory.GetFiles(ImportFiles.BulkNdjsonFolder, "Condition*.ndjson").First();

        var (exitCode, _, error) = await CliRunner.RunAsync("review", conditions);

        Assert.Equal(1, exitCode);
        Assert.Contains("give the Patient file", error);
    }
}
