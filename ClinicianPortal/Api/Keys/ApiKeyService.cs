using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ClinicianPortal.Data;
using Dapper;

namespace ClinicianPortal.Api.Keys;

/// <summary>
/// Creates, lists, revokes and checks API keys. A key is "cpk_&lt;id&gt;_&lt;secret&gt;": the id is public (logs,
/// lists, revocation), the secret is 32 random bytes of which only the SHA-256 is stored, so a copy of the
/// database does not hold usable keys. Used by the API's authentication, the `apikey` command and the /admin/api-keys page.
/// </summary>
public sealed class ApiKeyService(SqlDialect dialect, PatientStore schema, TimeProvider time)
{
    public const string Prefix = "cpk_";
    public const int DefaultRatePerMinute = 60;
    public const int MaxRatePerMinute = 100_000;
    private const int IdLength = 12;
    private const string IdAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"; // no 0/o, 1/l: ids are read aloud and typed

    public async Task<CreatedApiKey> CreateAsync(string name, IEnumerable<string> scopes, int ratePerMinute = DefaultRatePerMinute, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        name = (name ?? "").Trim();
        if (name.Length is 0 or > 100) throw new ArgumentException("A key needs a name of 1 to 100 characters (who or what uses it).", nameof(name));
        var scopeList = scopes.Select(s => s.Trim().ToLowerInvariant()).Where(s => s.Length > 0).Distinct().ToList();
        if (scopeList.Count == 0) throw new ArgumentException($"A key needs at least one scope: {string.Join(", ", ApiScopes.All)}.", nameof(scopes));
        var unknown = scopeList.Where(s => !ApiScopes.All.Contains(s)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"Unknown scope(s) {string.Join(", ", unknown)}: use {string.Join(", ", ApiScopes.All)}.", nameof(scopes));
        if (ratePerMinute is < 1 or > MaxRatePerMinute)
            throw new ArgumentOutOfRangeException(nameof(ratePerMinute), ratePerMinute, $"The rate limit must be 1 to {MaxRatePerMinute} requests per minute.");

        var id = RandomNumberGenerator.GetString(IdAlphabet, IdLength);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKeyInfo(id, name, [.. ApiScopes.All.Where(scopeList.Contains)], ratePerMinute, time.GetUtcNow(), null);
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO api_keys (id, name, secret_sha256, scopes, rate_per_minute, created_at, revoked_at)
            VALUES (@Id, @Name, @Hash, @Scopes, @Rate, @CreatedAt, NULL)
            """,
            new { key.Id, key.Name, Hash = Hash(secret), Scopes = string.Join(' ', key.Scopes), Rate = ratePerMinute, CreatedAt = Format(key.CreatedAt) },
            cancellationToken: cancellationToken));
        return new CreatedApiKey(key, $"{Prefix}{id}_{secret}");
    }

    /// <summary>Every key, newest first, revoked ones included.</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<KeyRow>(new CommandDefinition($"{SelectSql} ORDER BY created_at DESC, id", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToInfo())];
    }

    public async Task<ApiKeyInfo?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition($"{SelectSql} WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToInfo();
    }

    /// <summary>Revokes the key at once (its next call is refused); false when there is no such key or it was already revoked.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET revoked_at = @Now WHERE id = @Id AND revoked_at IS NULL",
            new { Id = id, Now = Format(time.GetUtcNow()) }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Checks a presented token; the failure texts are safe to return to the caller.</summary>
    public async Task<ApiKeyCheck> CheckAsync(string token, CancellationToken cancellationToken = default)
    {
        if (!TryParse(token, out var id, out var secret)) return ApiKeyCheck.Invalid("The API key is not of the form cpk_<id>_<secret>.");
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition($"{SelectSql} WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        // Unknown id and wrong secret get the same answer, so the reply does not tell which ids exist.
        if (row is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(row.SecretSha256)))
            return ApiKeyCheck.Invalid("The API key is not valid.");
        var key = row.ToInfo();
        return key.IsRevoked ? ApiKeyCheck.Invalid("The API key has been revoked.", key.Id) : ApiKeyCheck.Valid(key);
    }

    private static bool TryParse(string token, out string id, out string secret)
    {
        id = secret = "";
        token = token.Trim();
        if (!token.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var separator = token.IndexOf('_', Prefix.Length);
        if (separator < 0) return false;
        id = token[Prefix.Length..separator];
        secret = token[(separator + 1)..];
        return id.Length == IdLength && secret.Length > 0;
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Format(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await ApiDatabase.OpenAsync(dialect, schema, cancellationToken);

    private const string SelectSql = """
        SELECT id AS Id, name AS Name, secret_sha256 AS SecretSha256, scopes AS Scopes, rate_per_minute AS RatePerMinute,
               created_at AS CreatedAt, revoked_at AS RevokedAt
        FROM api_keys
        """;

    private sealed class KeyRow
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string SecretSha256 { get; init; } = "";
        public string Scopes { get; init; } = "";
        public long RatePerMinute { get; init; }
        public string CreatedAt { get; init; } = "";
        public string? RevokedAt { get; init; }

        public ApiKeyInfo ToInfo() => new(Id, Name, Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), (int)RatePerMinute,
            DateTimeOffset.Parse(CreatedAt, CultureInfo.InvariantCulture),
            RevokedAt is null ? null : DateTimeOffset.Parse(RevokedAt, CultureInfo.InvariantCulture));
    }
}

/// <summary>Connections for the API's tables, after the store's migrations have run (the CLI runs no hosted services).</summary>
internal static class ApiDatabase
{
    public static async Task<DbConnection> OpenAsync(SqlDialect dialect, PatientStore schema, CancellationToken cancellationToken)
    {
        await schema.EnsureSchemaAsync(cancellationToken);
        return await dialect.OpenAsync(cancellationToken);
    }
}
