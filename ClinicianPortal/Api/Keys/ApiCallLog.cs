using System.Globalization;
using ClinicianPortal.Data;
using Dapper;

namespace ClinicianPortal.Api.Keys;

/// <summary>One /api/v1 call: key, route template, patient pseudonym, status, time. No bodies, no PHI.</summary>
public sealed record ApiCall(string? KeyId, string Method, string Route, string? PatientId, int Status, DateTimeOffset CalledAt, TimeSpan Duration);

/// <summary>The audit trail of API calls (table api_call_log).</summary>
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
        return [.. rows.Select(r => new ApiCall(r.KeyId, r.Method, r.Route, r.PatientId, (int)r.Status,
            DateTimeOffset.Parse(r.CalledAt, CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(r.DurationMs)))];
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
    }
}
