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
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "clinicianportal-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> savedEnvironment = [];

    public ImportCommandTests()
    {
        Directory.CreateDirectory(dataDirectory);
        SetEnvironment("Storage__Provider", "Sqlite");
        SetEnvironment("Storage__DataDirectory", dataDirectory);
        SetEnvironment("ConnectionStrings__Portal", null);
        SetEnvironment("Deidentification__Secret", null);
    }

    private void SetEnvironment(string name, string? value)
    {
        savedEnvironment.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }


    private async Task<long> PatientsInDatabaseAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "clinicianportal.db")}");
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
        Assert.True(File.Exists(Path.Combine(dataDirectory, "keys", "deidentification.key")));
    }

    [Fact]
    public async Task A_failed_file_is_shown_with_its_error_and_exits_1()
    {
        var folder = ImportFiles.FolderWith(dataDirectory, ImportFiles.Small1);
        ImportFiles.WriteTruncated(ImportFiles.Small2, Path.Combine(folder, "cut.json"));

        var (exitCode, output, _) = await CliRunner.RunAsync("import", folder);

        Assert.Equal(1, exitCode);
        Assert.Matches(@"cut\.json\s+FAILED\s+0\s+0", output);
        Assert.Contains("error: cut.json: ", output, StringComparison.Ordinal);
        Assert.Contains("Total: 2 files, 1 imported, 1 failed", output, StringComparison.Ordinal);
        Assert.Equal(1, await PatientsInDatabaseAsync());
    }

    [Fact]
    public async Task Missing_paths_and_missing_arguments_are_usage_errors_with_exit_code_2()
    {
        var missing = Path.Combine(dataDirectory, "no-such-folder");

        var (exitCode, output, error) = await CliRunner.RunAsync("import", ImportFiles.Small1, missing);
        Assert.Equal(2, exitCode);
        Assert.Contains($"no such file or folder: {missing}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Total:", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dataDirectory, "clinicianportal.db")), "nothing is imported when an argument is wrong");

        var (noArgs, _, usage) = await CliRunner.RunAsync("import");
        Assert.Equal(2, noArgs);
        Assert.Contains("Usage: ClinicianPortal import <file-or-folder>", usage, StringComparison.Ordinal);

        var empty = Directory.CreateDirectory(Path.Combine(dataDirectory, "empty")).FullName;
        var (emptyFolder, _, emptyMessage) = await CliRunner.RunAsync("import", empty);
        Assert.Equal(2, emptyFolder);
        Assert.Contains("no FHIR files (*.json bundles, *.ndjson)", emptyMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_import_verb_is_registered_on_the_command_line()
    {
        Assert.True(CommandLine.IsCommand(["import", "x"]));
    }

    public void Dispose()
    {
        foreach (var (name, value) in savedEnvironment) Environment.SetEnvironmentVariable(name, value);
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(dataDirectory, recursive: true); }
        catch (IOException) { }
    }
}
