using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ClinicianPortal.Data;

/// <summary>
/// What differs between the databases the store runs on. The store's SQL itself is portable
/// (INSERT ... ON CONFLICT, LIMIT/OFFSET, LIKE ... ESCAPE); only connections, the migration scripts
/// and the locking around migrations are dialect-specific.
/// </summary>
public abstract class SqlDialect : IAsyncDisposable
{
    /// <summary>The folder of this dialect's scripts under Data/Migrations.</summary>
    public abstract string MigrationFolder { get; }

    public abstract DbConnection CreateConnection();

    /// <summary>An open connection; if opening fails, the connection is disposed before the error propagates.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs once per process before the migrations (settings that cannot run in a transaction).</summary>
    public virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>SQL run first inside the migration transaction so that two processes never migrate at once.</summary>
    public virtual string? MigrationLockSql => null;

    /// <summary>
    /// SQL run first in a transaction that reads the last row of <paramref name="table"/> and appends after it, so that
    /// two writers never append after the same row (readers are not blocked). Null when beginning the transaction locks.
    /// </summary>
    public virtual string? AppendLockSql(string table) => null;

    /// <summary>How many parameters a multi-row INSERT may carry: rows per statement = this / columns.</summary>
    public abstract int ParametersPerStatement { get; }

    /// <summary>"column is one of the list parameter", in the form the provider accepts for an array parameter.</summary>
    public abstract string InList(string column, string parameter);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    public static SqlDialect Create(StorageOptions options) => options.Provider switch
    {
        StorageProvider.PostgreSQL => new PostgresDialect(options.ConnectionString),
        _ => new SqliteDialect(options.ConnectionString),
    };
}

public sealed class SqliteDialect : SqlDialect
{
    private readonly string connectionString;

    public SqliteDialect(string connectionString)
    {
        // Foreign keys are off by default in SQLite; the schema relies on them.
        var builder = new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = true };
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(file)) is { } dir)
            Directory.CreateDirectory(dir);
        this.connectionString = builder.ToString();
    }

    public override string MigrationFolder => "Sqlite";

    public override DbConnection CreateConnection() => new SqliteConnection(connectionString);

    // In-process: round trips cost nothing, and binding looks parameters up by name (long statements bind slowly).
    public override int ParametersPerStatement => 64;

    // Dapper expands the list into (@Ids1, @Ids2, ...).
    public override string InList(string column, string parameter) => $"{column} IN @{parameter}";

    // Microsoft.Data.Sqlite begins transactions IMMEDIATE (the database's write lock), which serializes appends.

    // WAL lets the UI read while an import writes; the setting is kept in the database file.
    public override async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

public sealed class PostgresDialect(string connectionString) : SqlDialect
{
    private readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(connectionString);

    public override string MigrationFolder => "PostgreSQL";

    public override DbConnection CreateConnection() => dataSource.CreateConnection();

    // Each statement is a network round trip: send about a hundred rows at a time (the limit is 65,535 parameters).
    public override int ParametersPerStatement => 2000;

    // Npgsql sends the list as one array parameter.
    public override string InList(string column, string parameter) => $"{column} = ANY(@{parameter})";

    public override string? AppendLockSql(string table) => $"LOCK TABLE {table} IN EXCLUSIVE MODE";

    // A transaction-scoped advisory lock: a second process waits, then finds the migrations applied.
    public override string? MigrationLockSql => "SELECT pg_advisory_xact_lock(80347011)";

    public override async ValueTask DisposeAsync()
    {
        await dataSource.DisposeAsync();
        await base.DisposeAsync();
    }
}
