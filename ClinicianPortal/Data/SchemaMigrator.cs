using System.Data.Common;
using System.Globalization;
using Dapper;

namespace ClinicianPortal.Data;

/// <summary>
/// Applies the embedded scripts Data/Migrations/&lt;dialect&gt;/NNNN_name.sql in order, each once,
/// recording them in schema_version. A script and its version row commit together.
/// </summary>
public static class SchemaMigrator
{
    public sealed record Migration(int Version, string Name, string Sql);

    public static IReadOnlyList<Migration> Load(string dialectFolder)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = $"Migrations/{dialectFolder}/";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var name = resource.Replace('\\', '/');
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(".sql", StringComparison.Ordinal)) continue;
            var fileName = name[prefix.Length..^".sql".Length];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(fileName[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                throw new InvalidOperationException($"Migration script '{name}' must be named NNNN_description.sql.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(version, fileName, reader.ReadToEnd()));
        }
        if (migrations.Count == 0) throw new InvalidOperationException($"No migration scripts embedded for {dialectFolder}.");
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Two migration scripts have version {duplicate.Key}.");
        return [.. migrations.OrderBy(m => m.Version)];
    }

    /// <summary>Applies the pending migrations; returns the versions applied now (empty when up to date).</summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(SqlDialect dialect, CancellationToken cancellationToken = default)
    {
        var migrations = Load(dialect.MigrationFolder);
        await using var connection = dialect.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await dialect.PrepareAsync(connection, cancellationToken);

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (dialect.MigrationLockSql is { } lockSql) await Execute(connection, transaction, lockSql, cancellationToken);
        await Execute(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
            cancellationToken);
        var applied = (await connection.QueryAsync<int>(new CommandDefinition(
            "SELECT version FROM schema_version", transaction: transaction, cancellationToken: cancellationToken))).ToHashSet();

        var appliedNow = new List<int>();
        foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)))
        {
            await Execute(connection, transaction, migration.Sql, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)",
                new { migration.Version, migration.Name, AppliedAt = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) },
                transaction, cancellationToken: cancellationToken));
            appliedNow.Add(migration.Version);
        }
        await transaction.CommitAsync(cancellationToken);
        return appliedNow;
    }

    private static Task<int> Execute(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
}
