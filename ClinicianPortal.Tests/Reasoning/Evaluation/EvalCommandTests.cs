using System.Text.RegularExpressions;
using ClinicianPortal.Cli;
using ClinicianPortal.Shared.Reasoning.Evaluation;
using ClinicianPortal.Tests.Import;
using ClinicianPortal.Tests.Infrastructure;

namespace ClinicianPortal.Tests.Reasoning.Evaluation;

/// <summary>The `eval` verb run in-process on a small slice of ../shared/data.</summary>
[Collection(nameof(ConsoleAndEnvironment))]
public sealed partial class EvalCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("eval-slice-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>DDXPlus's KB files, the CSV header and 40 patients (20 held out), and 5 lines of each vignette file.</summary>
    private string Slice()
    {
        foreach (var file in new[] { DdxPlusData.ConditionsFile, DdxPlusData.EvidencesFile })
            File.Copy(TestEnvironment.SharedData("ddxplus", file), Path.Combine(_folder, file));
        File.WriteAllLines(Path.Combine(_folder, "patients.csv"), File.ReadLines(TestEnvironment.SharedData("ddxplus", "release_test_patients_mini_version.csv")).Take(41));
        foreach (var file in new[] { "avey_400_vignettes.jsonl", "agentclinic_medqa_extended.jsonl" })
            File.WriteAllLines(Path.Combine(_folder, file), File.ReadLines(TestEnvironment.SharedData("vignettes", file)).Take(5));
        return _folder;
    }

    [Fact]
    public async Task Eval_scores_every_dataset_in_a_folder_and_ends_with_the_comparable_line()
    {
        var (exitCode, output, error) = await CliRunner.RunAsync("eval", Slice());

        Assert.True(exitCode == 0, error);
        var lines = output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var last = FinalLine().Match(lines[^1]);
        Assert.True(last.Success, lines[^1]);
        Assert.Equal("30", last.Groups["n"].Value); // 20 held-out DDXPlus patients + 5 + 5 vignettes
        Assert.Contains(lines, l => l.StartsWith("DDXPlus patients", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("avey_400_vignettes", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("agentclinic_medqa_extended", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("BASD (paper, interactive)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("interactively", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateDirectories(Path.GetTempPath(), $"clinicianportal-eval-{Environment.ProcessId}-*"));
    }

    [Fact]
    public async Task Eval_reads_a_single_vignette_file_in_the_care_setting_asked_for()
    {
        Slice();
        var (exitCode, output, error) = await CliRunner.RunAsync("eval", "--setting", "primary-care", Path.Combine(_folder, "avey_400_vignettes.jsonl"));

        Assert.True(exitCode == 0, error);
        Assert.Contains("avey_400_vignettes (PrimaryCare;", output);
        Assert.Equal("5", FinalLine().Match(output.TrimEnd().Split('\n')[^1]).Groups["n"].Value);
    }

    [Fact]
    public async Task Eval_refuses_a_missing_path_a_file_of_unknown_format_an_unknown_setting_and_no_arguments()
    {
        var unknown = Path.Combine(_folder, "notes.txt");
        File.WriteAllText(unknown, "not a dataset");

        foreach (var args in new[] { new[] { "eval" }, ["eval", "/nonexistent/ddxplus"], ["eval", unknown], ["eval", "--setting", "icu", _folder], ["eval", "--setting"] })
        {
            var (exitCode, _, error) = await CliRunner.RunAsync(args);
            Assert.Equal(2, exitCode);
            Assert.NotEmpty(error);
        }
    }

    [GeneratedRegex(@"^top1=(?<p1>\d+\.\d) top3=(?<p3>\d+\.\d) top10=(?<p10>\d+\.\d) n=(?<n>\d+)$")]
    private static partial Regex FinalLine();

}
