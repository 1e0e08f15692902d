using System.Data;
using System.Data.Common;
using System.Globalization;
using ClinicianPortal.Data;
using Dapper;

namespace ClinicianPortal.Identity;

/// <summary>The users table (both dialects, portable SQL). User names are unique regardless of case.</summary>
public sealed class UserStore(SqlDialect dialect, PatientStore schema)
{
    private const string Columns =
        "id AS Id, user_name AS UserName, role AS Role, password_hash AS PasswordHash, failed_attempts AS FailedAttempts, lockout_end_ticks AS LockoutEndTicks";

    /// <summary>A disabled account is one locked out for good: sign-in is refused until an administrator unlocks it.</summary>
    public static readonly DateTimeOffset DisabledUntil = DateTimeOffset.MaxValue;

    // An admin who can sign in (not disabled) other than the one being changed: the last one may not be demoted or disabled.
    private const string AnotherActiveAdmin =
        "EXISTS (SELECT 1 FROM users o WHERE o.role = 'admin' AND o.id <> @Id AND (o.lockout_end_ticks IS NULL OR o.lockout_end_ticks <> @Disabled))";

    public static string Normalize(string userName) => userName.Trim().ToUpperInvariant();

    public async Task<PortalUser?> FindByIdAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToUser();
    }

    /// <summary>Every user, by name.</summary>
    public async Task<IReadOnlyList<PortalUser>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users ORDER BY normalized_name", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToUser())];
    }

    /// <summary>Gives the user another role; false when that would leave no active admin (or there is no such user).</summary>
    public async Task<bool> SetRoleAsync(string userId, string role, CancellationToken cancellationToken = default)
    {
        if (!Roles.IsKnown(role)) throw new ArgumentException($"Unknown role '{role}'.", nameof(role));
        return await KeepingAnAdminAsync(
            $"UPDATE users SET role = @Role WHERE id = @Id AND (@Role = 'admin' OR role <> 'admin' OR {AnotherActiveAdmin})",
            new { Id = userId, Role = role, Disabled = DisabledUntil.UtcTicks }, cancellationToken);
    }

    /// <summary>Refuses the user's sign-in (and ends their sessions) until unlocked; false when that would leave no active admin.</summary>
    public async Task<bool> DisableAsync(string userId, CancellationToken cancellationToken = default)
    {
        return await KeepingAnAdminAsync(
            $"UPDATE users SET failed_attempts = 0, lockout_end_ticks = @Disabled WHERE id = @Id AND (role <> 'admin' OR {AnotherActiveAdmin})",
            new { Id = userId, Disabled = DisabledUntil.UtcTicks }, cancellationToken);
    }

    /// <summary>
    /// Runs an update guarded by <see cref="AnotherActiveAdmin"/> in a serializable transaction: otherwise two administrators
    /// demoting each other at the same moment on PostgreSQL would each see the other still active, and leave none.
    /// PostgreSQL then refuses one of the two (serialization failure), which is retried after the other and finds itself the last one.
    /// </summary>
    private async Task<bool> KeepingAnAdminAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
            try
            {
                var changed = await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)) == 1;
                await transaction.CommitAsync(cancellationToken);
                return changed;
            }
            catch (DbException e) when (e.SqlState == SerializationFailure && attempt < 10)
            {
                // The other change may still be finishing: wait a moment (longer each time), then run again against what it committed.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 40) * attempt), cancellationToken);
            }
        }
    }

    private const string SerializationFailure = "40001";

    public async Task<PortalUser?> FindByNameAsync(string userName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userName);
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE normalized_name = @Name", new { Name = Normalize(userName) }, cancellationToken: cancellationToken));
        return row?.ToUser();
    }

    /// <summary>Adds a user; false (and nothing changed) when the name is taken.</summary>
    public async Task<bool> CreateAsync(string userName, string role, string passwordHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        if (!Roles.IsKnown(role)) throw new ArgumentException($"Unknown role '{role}'.", nameof(role));
        await using var connection = await OpenAsync(cancellationToken);
        var added = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO users (id, user_name, normalized_name, role, password_hash, failed_attempts, lockout_end_ticks, created_at)
            VALUES (@Id, @UserName, @Name, @Role, @PasswordHash, 0, NULL, @CreatedAt)
            ON CONFLICT (normalized_name) DO NOTHING
            """,
            new
            {
                Id = Guid.NewGuid().ToString("N"), UserName = userName.Trim(), Name = Normalize(userName), Role = role, PasswordHash = passwordHash,
                CreatedAt = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            }, cancellationToken: cancellationToken));
        return added == 1;
    }

    /// <summary>Counts one more failed sign-in and returns the new count.</summary>
    public async Task<int> RecordFailureAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = @Id RETURNING failed_attempts",
            new { Id = userId }, cancellationToken: cancellationToken));
    }

    /// <summary>Refuses sign-in until <paramref name="until"/> and starts the failure count again.</summary>
    public async Task LockOutAsync(string userId, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET failed_attempts = 0, lockout_end_ticks = @Until WHERE id = @Id",
            new { Id = userId, Until = until.UtcTicks }, cancellationToken: cancellationToken));
    }

    /// <summary>After a successful sign-in, or an administrator's unlock: no failures, no lockout, not disabled.</summary>
    public async Task ResetFailuresAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET failed_attempts = 0, lockout_end_ticks = NULL WHERE id = @Id", new { Id = userId }, cancellationToken: cancellationToken));
    }

    /// <summary>Replaces the password hash (which also ends the user's other sessions: see <see cref="SessionValidator"/>).</summary>
    public async Task SetPasswordHashAsync(string userId, string passwordHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @PasswordHash WHERE id = @Id", new { Id = userId, PasswordHash = passwordHash }, cancellationToken: cancellationToken));
    }

    // Migrations are applied once per process by the patient store, which owns the schema.
    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await schema.EnsureSchemaAsync(cancellationToken);
        return await dialect.OpenAsync(cancellationToken);
    }

    private sealed class UserRow
    {
        public string Id { get; set; } = "";
        public string UserName { get; set; } = "";
        public string Role { get; set; } = "";
        public string PasswordHash { get; set; } = "";
        public long FailedAttempts { get; set; }
        public long? LockoutEndTicks { get; set; }

        public PortalUser ToUser() => new(Id, UserName, Role, PasswordHash, (int)FailedAttempts,
            LockoutEndTicks is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null);
    }
}
