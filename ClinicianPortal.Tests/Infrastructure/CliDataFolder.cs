using ClinicianPortal.Data;
using Microsoft.Data.Sqlite;

namespace ClinicianPortal.Tests.Infrastructure;

/// <summary>
/// A temporary SQLite data folder for command-line verbs run in-process: points the app's Storage settings at it through
/// the environment (as a shell would), and on dispose restores every variable it set and deletes the folder.
/// Tests using it belong to the ConsoleAndEnvironment collection (the environment is process-wide).
/// </summary>
public sealed class CliDataFolder : IDisposable
{
    private readonly Dictionary<string, string?> savedEnvironment = [];

    public CliDataFolder()
    {
        Directory.CreateDirectory(DataDirectory);
        Set("Storage__Provider", "Sqlite");
        Set("Storage__DataDirectory", DataDirectory);
        Set("ConnectionStrings__Portal", null);
    }

    /// <summary>The folder itself; other test files may go below it.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "clinicianportal-tests", Guid.NewGuid().ToString("N"));
    public string DataDirectory => Path.Combine(Root, "data");
    public string DatabasePath => Path.Combine(DataDirectory, StorageOptions.SqliteFileName);

    /// <summary>Sets an environment variable for the test (null removes it); the first value seen is restored on dispose.</summary>
    public void Set(string name, string? value)
    {
        savedEnvironment.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose()
    {
        foreach (var (name, value) in savedEnvironment) Environment.SetEnvironmentVariable(name, value);
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { /* the OS cleans temp */ }
    }
}
