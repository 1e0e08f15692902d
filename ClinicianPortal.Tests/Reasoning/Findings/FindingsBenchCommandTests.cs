using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Cli;
using ClinicianPortal.Tests.Import;

namespace ClinicianPortal.Tests.Reasoning.Findings;

/// <summary>The `bench findings` verb run in-process: it must work, not be fast (timings are read by people, not asserted).</summary>
[Collection(nameof(ConsoleAndEnvironment))]
public sealed class FindingsBenchCommandTests
{
    [Fact]
    public async Task Bench_findings_imports_a_bundle_and_reports_one_row_per_patient()
    {
        var file = Path.Combine(SampleCohort.Folder, SampleCohort.FilesOf("sepsis")[0]);

        var (exitCode, output, error) = await CliRunner.RunAsync("bench", "findings", file, "--runs", "2");

        Assert.True(exitCode == 0, error);
        var row = Assert.Single(output.Split('\n'), l => l.StartsWith(Path.GetFileName(file), StringComparison.Ordinal));
        var columns = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(int.Parse(columns[4], System.Globalization.CultureInfo.InvariantCulture) > 20, row); // findings extracted
    }

    [Theory]
    [InlineData("/nonexistent/folder")]
    [InlineData("--runs")]
    public async Task Bench_findings_refuses_bad_arguments(string argument)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("bench", "findings", argument);

        Assert.Equal(2, exitCode);
        Assert.NotEmpty(error);
    }

}
