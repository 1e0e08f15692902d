namespace ClinicianPortal.Api.Keys;

/// <summary>What an API key may do. A key holds one or more scopes; each endpoint group requires one.</summary>
public static class ApiScopes
{
    public const string Read = "read";
    public const string Import = "import";
    public const string CaseReview = "case-review";

    public static readonly IReadOnlyList<string> All = [Read, Import, CaseReview];
}

/// <summary>An API key as stored and listed: never its secret.</summary>
public sealed record ApiKeyInfo(string Id, string Name, IReadOnlyList<string> Scopes, int RatePerMinute, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>A key just created: <see cref="Token"/> (cpk_&lt;id&gt;_&lt;secret&gt;) is shown this once and never stored.</summary>
public sealed record CreatedApiKey(ApiKeyInfo Key, string Token);

/// <summary>The outcome of checking a presented token: the key when valid, otherwise why not (and the key id when known).</summary>
public sealed record ApiKeyCheck(ApiKeyInfo? Key, string? KnownKeyId, string? Failure)
{
    public static ApiKeyCheck Valid(ApiKeyInfo key) => new(key, key.Id, null);
    public static ApiKeyCheck Invalid(string failure, string? knownKeyId = null) => new(null, knownKeyId, failure);
}
