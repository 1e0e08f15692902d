using System.Text;
using System.Text.Json;
using ClinicianPortal.Data;
using ClinicianPortal.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ClinicianPortal.Tests.Data;

/// <summary>
/// A fresh, empty database of one dialect for one test: a temporary SQLite file, or a new PostgreSQL
/// database (portal_test_&lt;guid&gt;) created through CLINICIANPORTAL_TEST_POSTGRES and dropped afterwards.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? directory;
    private readonly string? postgresDatabase;

    private TestDatabase(string dialectName, StorageProvider provider, string connectionString, string dataDirectory, string? directory, string? postgresDatabase)
    {
        DialectName = dialectName;
        Provider = provider;
        ConnectionString = connectionString;
        DataDirectory = dataDirectory;
        this.directory = directory;
        this.postgresDatabase = postgresDatabase;
        Dialect = SqlDialect.Create(Options);
        Store = new PatientStore(Dialect);
    }

    public string DialectName { get; }
    public StorageProvider Provider { get; }
    public string ConnectionString { get; }
    /// <summary>A temporary folder for this test (the SQLite file lives here; keys and files may too).</summary>
    public string DataDirectory { get; }
    public SqlDialect Dialect { get; }
    public PatientStore Store { get; }

    public StorageOptions Options => new()
    {
        Provider = Provider,
        DataDirectory = DataDirectory,
        ConnectionString = ConnectionString,
        SampleDataDirectory = Path.Combine(DataDirectory, "no-samples"),
        SeedSampleData = false,
    };

    /// <summary>Configuration values that point the app's services at this database (for AddPatientData).</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Storage:Provider"] = Provider.ToString(),
        ["Storage:DataDirectory"] = DataDirectory,
        ["Storage:SeedSampleData"] = "false",
        ["ConnectionStrings:Portal"] = ConnectionString,
    };

    public static async Task<TestDatabase> CreateAsync(string dialect)
    {
        var folder = Path.Combine(Path.GetTempPath(), "clinicianportal-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        switch (dialect)
        {
            case "sqlite":
                return new TestDatabase(dialect, StorageProvider.Sqlite, $"Data Source={Path.Combine(folder, StorageOptions.SqliteFileName)}", folder, folder, null);
            case "postgres":
                var admin = TestEnvironment.PostgresConnectionString
                    ?? throw new InvalidOperationException("CLINICIANPORTAL_TEST_POSTGRES is not set: PostgreSQL tests cannot run.");
                var name = "portal_test_" + Guid.NewGuid().ToString("N");
                await using (var connection = new NpgsqlConnection(admin))
                {
                    await connection.OpenAsync();
                    await connection.ExecuteAsync($"CREATE DATABASE {name}");
                }
                var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
                return new TestDatabase(dialect, StorageProvider.PostgreSQL, builder.ConnectionString, folder, folder, name);
            default:
                throw new ArgumentException($"Unknown dialect {dialect}", nameof(dialect));
        }
    }

    public async Task<long> CountAsync(string table)
    {
        await using var connection = Dialect.CreateConnection();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    /// <summary>Every row of every table, in a stable order: equal snapshots mean an unchanged database.</summary>
    /// <param name="includeImportLog">False to compare the records only (an import appends to the log even when it fails).</param>
    public async Task<string> SnapshotAsync(bool includeImportLog = true)
    {
        string[] tables = includeImportLog
            ? ["schema_version", "patients", "events", "identifier_hashes", "import_log"]
            : ["schema_version", "patients", "events", "identifier_hashes"];
        var text = new StringBuilder();
        await using var connection = Dialect.CreateConnection();
        foreach (var table in tables)
        {
            text.Append("## ").AppendLine(table);
            var rows = await connection.QueryAsync($"SELECT * FROM {table}");
            var lines = rows.Select(r => JsonSerializer.Serialize((IDictionary<string, object>)r)).Order(StringComparer.Ordinal);
            foreach (var line in lines) text.AppendLine(line);
        }
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Dialect.DisposeAsync();
        if (postgresDatabase is not null)
        {
            // Only this database's pool: clearing every pool would disturb tests running beside this one.
            await using (var own = new NpgsqlConnection(ConnectionString)) NpgsqlConnection.ClearPool(own);
            try
            {
                await using var connection = new NpgsqlConnection(TestEnvironment.PostgresConnectionString);
                await connection.OpenAsync();
                await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {postgresDatabase} WITH (FORCE)");
            }
            catch (NpgsqlException ex)
            {
                // Cleanup is not what the test checks: a leftover test database on a test server is harmless.
                Console.Error.WriteLine($"warning: test database {postgresDatabase} not dropped: {ex.Message}");
            }
        }
        SqliteConnection.ClearAllPools();
        if (directory is not null && Directory.Exists(directory))
        {
            try { Directory.Delete(directory, recursive: true); }
            catch (IOException) { } // a temp folder left behind is harmless
        }
    }
}
