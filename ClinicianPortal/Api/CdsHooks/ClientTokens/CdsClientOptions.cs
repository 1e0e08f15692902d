using System.Text.Json.Nodes;
using ClinicianPortal.Api.Keys;

namespace ClinicianPortal.Api.CdsHooks.ClientTokens;

/// <summary>
/// A trusted CDS client (an EHR), one entry of CdsHooks:Clients. Its tokens name it in <c>iss</c>; its public keys come
/// from <see cref="Jwks"/> (inline), <see cref="JwksUrl"/>, or the token's <c>jku</c> header when that URL is in <see cref="AllowedJku"/>.
/// </summary>
public sealed record CdsClient
{
    /// <summary>The token's <c>iss</c>, compared exactly (CdsHooks:Clients:n:Issuer).</summary>
    public required string Issuer { get; init; }
    /// <summary>When set, the token's <c>sub</c> must equal it (the client_id the EHR was registered with).</summary>
    public string? ClientId { get; init; }
    public Uri? JwksUrl { get; init; }
    /// <summary>Keys configured inline (a JWK Set), used before any URL.</summary>
    public IReadOnlyList<ClientKey> Jwks { get; init; } = [];
    /// <summary>The <c>jku</c> values accepted from this client's tokens, compared exactly; any other jku is refused.</summary>
    public IReadOnlyList<string> AllowedJku { get; init; } = [];
    /// <summary>The API scopes the client's calls carry; the CDS services need case-review (the default).</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [ApiScopes.CaseReview];
    /// <summary>Calls per minute, as for an API key.</summary>
    public int RatePerMinute { get; init; } = ApiKeyService.DefaultRatePerMinute;

    /// <summary>The caller's name in the API call log, the feedback table, the rate limiter and the audit trail.</summary>
    public string CallerId => CdsCaller.ClientPrefix + Issuer;
}

/// <summary>The trusted CDS clients and how their tokens are checked (section CdsHooks).</summary>
public sealed record CdsClientOptions
{
    /// <summary>CDS Hooks 2.0: a client token expires no more than 5 minutes after it is issued.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    public IReadOnlyList<CdsClient> Clients { get; init; } = [];
    /// <summary>Tolerated clock difference with the clients (CdsHooks:ClockSkewSeconds, default 30, at most 300).</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>How long a fetched JWK Set is used before it is fetched again (CdsHooks:JwksCacheMinutes, default 60).</summary>
    public TimeSpan JwksCacheDuration { get; init; } = TimeSpan.FromMinutes(60);
    /// <summary>A token with a kid the cached set lacks fetches the set again, at most this often per URL (CdsHooks:JwksRefreshSeconds, default 60).</summary>
    public TimeSpan JwksMinRefreshInterval { get; init; } = TimeSpan.FromSeconds(60);

    public CdsClient? Find(string issuer) => Clients.FirstOrDefault(c => string.Equals(c.Issuer, issuer, StringComparison.Ordinal));

    /// <summary>Reads and checks the section; a bad entry stops the start with an error naming the setting.</summary>
    public static CdsClientOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("CdsHooks");
        var defaults = new CdsClientOptions();
        var skew = section.GetValue("ClockSkewSeconds", (int)defaults.ClockSkew.TotalSeconds);
        if (skew is < 0 or > 300) throw new InvalidOperationException($"CdsHooks:ClockSkewSeconds must be 0 to 300 (it is {skew}).");
        var cacheMinutes = section.GetValue("JwksCacheMinutes", (int)defaults.JwksCacheDuration.TotalMinutes);
        if (cacheMinutes < 1) throw new InvalidOperationException($"CdsHooks:JwksCacheMinutes must be at least 1 (it is {cacheMinutes}).");
        var refreshSeconds = section.GetValue("JwksRefreshSeconds", (int)defaults.JwksMinRefreshInterval.TotalSeconds);
        if (refreshSeconds < 0) throw new InvalidOperationException($"CdsHooks:JwksRefreshSeconds must not be negative (it is {refreshSeconds}).");

        var clients = section.GetSection("Clients").GetChildren().Select(ReadClient).ToList();
        var duplicate = clients.GroupBy(c => c.Issuer, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"CdsHooks:Clients names the issuer '{duplicate.Key}' twice.");
        return new CdsClientOptions
        {
            Clients = clients,
            ClockSkew = TimeSpan.FromSeconds(skew),
            JwksCacheDuration = TimeSpan.FromMinutes(cacheMinutes),
            JwksMinRefreshInterval = TimeSpan.FromSeconds(refreshSeconds),
        };
    }

    private static CdsClient ReadClient(IConfigurationSection entry)
    {
        var name = $"CdsHooks:Clients:{entry.Key}";
        var issuer = entry["Issuer"]?.Trim();
        if (string.IsNullOrEmpty(issuer)) throw new InvalidOperationException($"{name}:Issuer is required (the 'iss' of the client's tokens).");

        Uri? jwksUrl = null;
        if (!string.IsNullOrWhiteSpace(entry["JwksUrl"])) jwksUrl = KeyUrl(entry["JwksUrl"]!, $"{name}:JwksUrl");
        foreach (var (jku, i) in entry.GetSection("AllowedJku").GetChildren().Select((c, i) => (c.Value, i)))
            KeyUrl(jku ?? "", $"{name}:AllowedJku:{i}");

        IReadOnlyList<ClientKey> inline = [];
        var jwks = entry.GetSection("Jwks");
        var hasChildren = jwks.GetChildren().Any();
        if (hasChildren || !string.IsNullOrWhiteSpace(jwks.Value))
        {
            try
            {
                // As sections (appsettings.json) or as one JSON text (an environment variable).
                var json = hasChildren ? ToJson(jwks) : JsonNode.Parse(jwks.Value!);
                inline = JsonWebKeySet.Parse(json);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or JwksException)
            {
                throw new InvalidOperationException($"{name}:Jwks is not a usable JWK Set: {e.Message}", e);
            }
        }
        var allowedJku = entry.GetSection("AllowedJku").GetChildren().Select(c => c.Value!.Trim()).ToList();
        if (jwksUrl is null && inline.Count == 0 && allowedJku.Count == 0)
            throw new InvalidOperationException($"{name} ('{issuer}') needs Jwks, JwksUrl or AllowedJku: otherwise none of its tokens can be verified.");

        var scopes = entry.GetSection("Scopes").GetChildren().Select(c => (c.Value ?? "").Trim().ToLowerInvariant()).Where(s => s.Length > 0).ToList();
        var unknown = scopes.Where(s => !ApiScopes.All.Contains(s)).ToList();
        if (unknown.Count > 0) throw new InvalidOperationException($"{name}:Scopes has unknown scope(s) {string.Join(", ", unknown)}: use {string.Join(", ", ApiScopes.All)}.");
        var rate = entry.GetValue("RatePerMinute", ApiKeyService.DefaultRatePerMinute);
        if (rate is < 1 or > ApiKeyService.MaxRatePerMinute)
            throw new InvalidOperationException($"{name}:RatePerMinute must be 1 to {ApiKeyService.MaxRatePerMinute} (it is {rate}).");

        return new CdsClient
        {
            Issuer = issuer,
            ClientId = string.IsNullOrWhiteSpace(entry["ClientId"]) ? null : entry["ClientId"]!.Trim(),
            JwksUrl = jwksUrl,
            Jwks = inline,
            AllowedJku = allowedJku,
            Scopes = scopes.Count > 0 ? scopes : [ApiScopes.CaseReview],
            RatePerMinute = rate,
        };
    }

    /// <summary>Keys are fetched over https; plain http only from this machine (a local key server, tests).</summary>
    private static Uri KeyUrl(string value, string setting)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url) || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
            throw new InvalidOperationException($"{setting} must be an absolute https URL (http only for loopback); it is '{value}'.");
        return url;
    }

    /// <summary>
    /// A configuration section as JSON: children named 0..n are an array, others an object, leaves strings
    /// (every JWK member the verifier reads is a string).
    /// </summary>
    private static JsonNode ToJson(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0) return JsonValue.Create(section.Value ?? "");
        if (children.Select((c, i) => c.Key == i.ToString(System.Globalization.CultureInfo.InvariantCulture)).All(x => x))
            return new JsonArray([.. children.Select(ToJson)]);
        var obj = new JsonObject();
        foreach (var child in children) obj[child.Key] = ToJson(child);
        return obj;
    }
}

/// <summary>Names of API callers that are not API keys.</summary>
public static class CdsCaller
{
    public const string ClientPrefix = "cds-client:";

    /// <summary>The actor of an audit record or annotation: "cds-client:&lt;iss&gt;" for a CDS client, "api-key:&lt;id&gt;" for a key.</summary>
    public static string Actor(string? callerId) =>
        callerId is not null && callerId.StartsWith(ClientPrefix, StringComparison.Ordinal) ? callerId : $"api-key:{callerId ?? "unknown"}";
}
