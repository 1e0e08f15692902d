using System.Globalization;
using ClinicianPortal.Data;
using Dapper;

namespace ClinicianPortal.Api.Keys;

/// <summary>One /api/v1 call: key, route template, patient pseudonym, status, time. No bodies, no PHI.</summary>
public sealed record ApiCall(string? KeyId, string Method, string Route, string? PatientId, int Status, DateTimeOffset CalledAt, TimeSpan Duration);

/// <summary>How much one key has been used: calls logged (within the retention period) and the last one.</summary>
public sealed record ApiKeyUsage(int Calls, DateTimeOffset? LastCalledAt)
{
    public static ApiKeyUsage None { get; } = new(0, null);
}

/// <summary>A page of the call log, newest first, and how many calls there are in all.</summary>
public sealed record ApiCallPage(IReadOnlyList<ApiCall> Calls, int Total);

/// <summary>The audit trail of API calls (table api_call_log), kept for Api:CallLogRetentionDays (<see cref="ApiCallLogPruner"/>).</summary>
public sealed class ApiCallLog(SqlDialect dialect, PatientStore schema)
{
    public async Task AppendAsync(ApiCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var connection = await ApiDatabase.OpenAsync(dialect, schema, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO api_call_log (key_id, method, route, patient_id, status, called_at, duration_ms)
            VALUES (@KeyId, @Method, @Route, @PatientId, @Status, @CalledAt, @DurationMs)
            """,
            new
            {
                call.KeyId, call.Method, call.Route, call.PatientId, call.Status,
                CalledAt = call.CalledAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
                DurationMs = (long)call.Duration.TotalMilliseconds,
            }, cancellationToken: cancellationToken));
    }

    /// <summary>The most recent calls first, optionally of one key.</summary>
    public async Task<IReadOnlyList<ApiCall>> RecentAsync(int count, string? keyId = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await ApiDatabase.OpenAsync(dialect, schema, cancellationToken);
        var rows = await connection.QueryAsync<CallRow>(new CommandDefinition(
            $"""
            SELECT key_id AS KeyId, method AS Method, route AS Route, patient_id AS PatientId, status AS Status,
                   called_at AS CalledAt, duration_ms AS DurationMs
            FROM api_call_log {(keyId is null ? "" : "WHERE key_id = @KeyId")} ORDER BY id DESC LIMIT @Count
            """, new { KeyId = keyId, Count = Math.Max(count, 0) }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToCall())];
    }

    /// <summary>A page of one key's calls, newest first.</summary>
    public async Task<ApiCallPage> PageAsync(string keyId, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        await using var connection = await ApiDatabase.OpenAsync(dialect, schema, cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM api_call_log WHERE key_id = @KeyId", new { KeyId = keyId }, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<CallRow>(new CommandDefinition(
            """
            SELECT key_id AS KeyId, method AS Method, route AS Route, patient_id AS PatientId, status AS Status,
                   called_at AS CalledAt, duration_ms AS DurationMs
            FROM api_call_log WHERE key_id = @KeyId ORDER BY id DESC LIMIT @Take OFFSET @Skip
            """, new { KeyId = keyId, Take = Math.Max(take, 0), Skip = Math.Max(skip, 0) }, cancellationToken: cancellationToken));
        return new ApiCallPage([.. rows.Select(r => r.ToCall())], (int)total);
    }

    /// <summary>Calls and last call per key id (keys never called are absent).</summary>
    public async Task<IReadOnlyDictionary<string, ApiKeyUsage>> UsageByKeyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await ApiDatabase.OpenAsync(dialect, schema, cancellationToken);
        var rows = await connection.QueryAsync<(string KeyId, long Calls, string LastCalledAt)>(new CommandDefinition(
            "SELECT key_id, COUNT(*), MAX(called_at) FROM api_call_log WHERE key_id IS NOT NULL GROUP BY key_id", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.KeyId, r => new ApiKeyUsage((int)r.Calls, DateTimeOffset.Parse(r.LastCalledAt, CultureInfo.InvariantCulture)));
    }

    /// <summary>Deletes the calls made before <paramref name="cutoff"/>; returns how many.</summary>
    public async Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var connection = await ApiDatabase.OpenAsync(dialect, schema, cancellationToken);
        // called_at is UTC round-trip text of fixed shape, so text order is time order.
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM api_call_log WHERE called_at < @Cutoff",
            new { Cutoff = cutoff.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) }, cancellationToken: cancellationToken));
    }

    private sealed class CallRow
    {
        public string? KeyId { get; init; }
        public string Method { get; init; } = "";
        public string Route { get; init; } = "";
        public string? PatientId { get; init; }
        public long Status { get; init; }
        public string CalledAt { get; init; } = "";
        public long DurationMs { get; init; }

        public ApiCall ToCall() => new(KeyId, Method, Route, PatientId, (int)Status,
            DateTimeOffset.Parse(CalledAt, CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(DurationMs));
    }
}
