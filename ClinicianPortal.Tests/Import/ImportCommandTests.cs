using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Cli;
using ClinicianPortal.Tests.Data;
using Microsoft.Data.Sqlite;

namespace ClinicianPortal.Tests.Import;

/// <summary>Tests that redirect Console and set process environment variables: never in parallel with each other.</summary>
[CollectionDefinition(nameof(ConsoleAndEnvironment), DisableParallelization = true)]
public sealed class ConsoleAndEnvironment;

/// <summary>The `import` verb run in-process, as `dotnet run -- import ...` runs it, against a temporary SQLite folder.</summary>
[Collection(nameof(ConsoleAndEnvironment))]
public sealed class ImportCommandTests : IDisposable
{
    private readonly CliDataFolder folder = new();

    public ImportCommandTests() => folder.Set("Deidentification__Secret", null);


    private async Task<long> PatientsInDatabaseAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={folder.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM patients";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Import_of_good_files_prints_progress_and_a_summary_table_and_exits_0()
    {
        var (exitCode, output, error) = await CliRunner.RunAsync("import", ImportFiles.Small1, ImportFiles.Small2);

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Contains("[2/2] Maria_Luisa_Razo", output, StringComparison.Ordinal);
        Assert.Contains("[1/2] Gayla_Ferry", output, StringComparison.Ordinal);
        Assert.Matches(@"File\s+Status\s+Resources\s+Skipped\s+Seconds", output);
        Assert.Matches(@"Maria_Luisa_Razo_\S+\.json\s+ok\s+133\s+\d+\s+\d+\.\d\d", output);
        Assert.Matches(@"Total: 2 files, 2 imported, 0 failed; \d+ resources in \d+\.\d\d s \(\d+ resources/s\)", output);
        Assert.Equal(2, await PatientsInDatabaseAsync());
        Assert.True(File.Exists(Path.Combine(folder.DataDirectory, "keys", "deidentification.key")));
    }

    [Fact]
    public async Task A_failed_file_is_shown_with_its_error_and_exits_1()
    {
        var files = ImportFiles.FolderWith(folder.DataDirectory, ImportFiles.Small1);
        ImportFiles.WriteTruncated(ImportFiles.Small2, Path.Combine(files, "cut.json"));

        var (exitCode, output, _) = await CliRunner.RunAsync("import", files);

        Assert.Equal(1, exitCode);
        Assert.Matches(@"cut\.json\s+FAILED\s+0\s+0", output);
        Assert.Contains("error: cut.json: ", output, StringComparison.Ordinal);
        Assert.Contains("Total: 2 files, 1 imported, 1 failed", output, StringComparison.Ordinal);
        Assert.Equal(1, await PatientsInDatabaseAsync());
    }

    [Fact]
    public async Task Missing_paths_and_missing_arguments_are_usage_errors_with_exit_code_2()
    {
        var missing = Path.Combine(folder.DataDirectory, "no-such-folder");

        var (exitCode, output, error) = await CliRunner.RunAsync("import", ImportFiles.Small1, missing);
        Assert.Equal(2, exitCode);
        Assert.Contains($"no such file or folder: {missing}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Total:", output, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.DatabasePath), "nothing is imported when an argument is wrong");

        var (noArgs, _, usage) = await CliRunner.RunAsync("import");
        Assert.Equal(2, noArgs);
        Assert.Contains("Usage: ClinicianPortal import <file-or-folder>", usage, StringComparison.Ordinal);

        var empty = Directory.CreateDirectory(Path.Combine(folder.DataDirectory, "empty")).FullName;
        var (emptyFolder, _, emptyMessage) = await CliRunner.RunAsync("import", empty);
        Assert.Equal(2, emptyFolder);
        Assert.Contains("no FHIR files (*.json bundles, *.ndjson)", emptyMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_import_verb_is_registered_on_the_command_line()
    {
        Assert.True(CommandLine.IsCommand(["import", "x"]));
    }

    public void Dispose() => folder.Dispose();
}
