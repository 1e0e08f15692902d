using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ClinicianPortal.Api.CdsHooks.ClientTokens;

/// <summary>A verified client token: the trusted client and the claims the service uses.</summary>
public sealed record ClientToken(CdsClient Client, string Subject, string Jti, string? Tenant);

/// <summary>
/// The outcome of checking a token: the token, or the reason it was refused (short, safe to return to the caller:
/// it never repeats the token or its claims), and the client when the issuer was a trusted one.
/// </summary>
public sealed record ClientTokenCheck(ClientToken? Token, string? Failure, CdsClient? Client)
{
    public static ClientTokenCheck Refused(string failure, CdsClient? client = null) => new(null, failure, client);
}

/// <summary>
/// Verifies CDS Hooks 2.0 client JWTs ("Trusting CDS Clients"): JWS compact serialization signed with ES384 or RS384
/// (ES256 and RS256 accepted too) by a key of a configured client, with iss, sub, aud (the endpoint called), exp (at most
/// 5 minutes after iat), iat and jti (used once). Written on System.Security.Cryptography, as the IdentityModel packages
/// are not on the project's feed.
/// </summary>
public sealed class ClientTokenVerifier(CdsClientOptions options, JwksCache jwks, TokenReplayCache replays, TimeProvider time)
{
    /// <summary>The algorithms accepted and what each needs: its key type, the EC curve, the hash.</summary>
    private static readonly Dictionary<string, (string Kty, string? Curve, HashAlgorithmName Hash)> Algorithms = new(StringComparer.Ordinal)
    {
        ["ES384"] = ("EC", "P-384", HashAlgorithmName.SHA384),
        ["RS384"] = ("RSA", null, HashAlgorithmName.SHA384),
        ["ES256"] = ("EC", "P-256", HashAlgorithmName.SHA256),
        ["RS256"] = ("RSA", null, HashAlgorithmName.SHA256),
    };

    public static IReadOnlyCollection<string> AcceptedAlgorithms => Algorithms.Keys;

    /// <param name="audiences">The URLs this call may be addressed to (the endpoint called; for feedback also its service).</param>
    public async Task<ClientTokenCheck> VerifyAsync(string token, IReadOnlyCollection<string> audiences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(audiences);
        var parts = token.Split('.');
        if (parts.Length != 3) return ClientTokenCheck.Refused("token is not a signed JWT (header.payload.signature)");
        if (Json(parts[0]) is not { } header || Json(parts[1]) is not { } payload || Base64Url.Decode(parts[2]) is not { } signature)
            return ClientTokenCheck.Refused("token is malformed (not base64url JSON)");

        // The header: a signature algorithm of the spec, never "none" nor a shared-secret HMAC.
        var alg = Text(header, "alg");
        if (alg is null) return ClientTokenCheck.Refused("alg header is missing");
        if (alg.Equals("none", StringComparison.OrdinalIgnoreCase)) return ClientTokenCheck.Refused("alg 'none' is refused: the token must be signed");
        if (!Algorithms.TryGetValue(alg, out var algorithm))
            return ClientTokenCheck.Refused($"algorithm is not accepted (use {string.Join(", ", Algorithms.Keys)})");
        if (Text(header, "typ") is { } typ && !typ.Equals("JWT", StringComparison.OrdinalIgnoreCase)) return ClientTokenCheck.Refused("typ header must be JWT");
        if (header.TryGetProperty("crit", out _)) return ClientTokenCheck.Refused("crit header is not supported");
        var kid = Text(header, "kid");
        if (string.IsNullOrEmpty(kid)) return ClientTokenCheck.Refused("kid header is required");

        // The issuer picks the trusted client and so the keys; nothing of the payload is believed before the signature checks.
        var issuer = Text(payload, "iss");
        if (string.IsNullOrEmpty(issuer)) return ClientTokenCheck.Refused("iss claim is missing");
        if (options.Find(issuer) is not { } client) return ClientTokenCheck.Refused("unknown issuer");

        var jku = Text(header, "jku");
        if (jku is not null && !client.AllowedJku.Contains(jku, StringComparer.Ordinal))
            return ClientTokenCheck.Refused("jku is not on the client's allow-list", client);

        ClientKey? key;
        try
        {
            key = await FindKeyAsync(client, jku, kid, cancellationToken);
        }
        catch (JwksException e)
        {
            return ClientTokenCheck.Refused(e.Message, client);
        }
        if (key is null) return ClientTokenCheck.Refused("kid is not in the client's JWK Set", client);
        if ((key.Alg is not null && key.Alg != alg) || (algorithm.Kty == "EC" ? key.Ec is null || key.Curve != algorithm.Curve : key.Rsa is null))
            return ClientTokenCheck.Refused("algorithm does not match the client's key", client);

        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        // ECDSA JWS signatures are r||s (IEEE P1363), .NET's default; RSA is PKCS#1 v1.5.
        var valid = key.Ec is { } ec
            ? ec.VerifyData(signed, signature, algorithm.Hash)
            : key.Rsa!.VerifyData(signed, signature, algorithm.Hash, RSASignaturePadding.Pkcs1);
        if (!valid) return ClientTokenCheck.Refused("signature invalid", client);

        // The claims, now that they are the client's.
        var now = time.GetUtcNow();
        var skew = options.ClockSkew;
        if (Time(payload, "exp") is not { } exp) return ClientTokenCheck.Refused("exp claim is missing", client);
        if (Time(payload, "iat") is not { } iat) return ClientTokenCheck.Refused("iat claim is missing", client);
        if (now > exp + skew) return ClientTokenCheck.Refused("token expired", client);
        if (iat > now + skew) return ClientTokenCheck.Refused("token issued in the future (iat)", client);
        if (Time(payload, "nbf") is { } nbf && nbf > now + skew) return ClientTokenCheck.Refused("token not valid yet (nbf)", client);
        if (exp - iat > CdsClientOptions.MaxLifetime || exp > now + CdsClientOptions.MaxLifetime + skew)
            return ClientTokenCheck.Refused("token lifetime is over 5 minutes", client);
        if (!Audiences(payload).Any(a => audiences.Any(expected => SameUrl(a, expected))))
            return ClientTokenCheck.Refused("audience does not match this service", client);
        var subject = Text(payload, "sub");
        if (string.IsNullOrEmpty(subject)) return ClientTokenCheck.Refused("sub claim is missing", client);
        if (client.ClientId is not null && subject != client.ClientId) return ClientTokenCheck.Refused("sub does not match the client's id", client);
        var jti = Text(payload, "jti");
        if (string.IsNullOrEmpty(jti)) return ClientTokenCheck.Refused("jti claim is missing", client);
        if (payload.TryGetProperty("tenant", out var tenant) && tenant.ValueKind != JsonValueKind.String)
            return ClientTokenCheck.Refused("tenant claim must be a string", client);

        // Last, so that a token refused for another reason does not use up its jti.
        if (!replays.TryUse(issuer, jti, exp + skew)) return ClientTokenCheck.Refused("token replayed", client);
        return new ClientTokenCheck(new ClientToken(client, subject, jti, tenant.ValueKind == JsonValueKind.String ? tenant.GetString() : null), null, client);
    }

    /// <summary>The key named kid: inline keys first, then the jku set or the configured set (fetched again once if the kid is new).</summary>
    private async Task<ClientKey?> FindKeyAsync(CdsClient client, string? jku, string kid, CancellationToken cancellationToken)
    {
        if (jku is null && client.Jwks.FirstOrDefault(k => k.Kid == kid) is { } inline) return inline;
        var url = jku is not null ? new Uri(jku) : client.JwksUrl;
        if (url is null) return null;
        var keys = await jwks.GetAsync(url, kidMissing: false, cancellationToken);
        if (keys.FirstOrDefault(k => k.Kid == kid) is { } cached) return cached;
        keys = await jwks.GetAsync(url, kidMissing: true, cancellationToken);
        return keys.FirstOrDefault(k => k.Kid == kid);
    }

    private static JsonElement? Json(string part)
    {
        if (Base64Url.Decode(part) is not { } bytes) return null;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds)
            && seconds is >= 0 and < 253402300799 // up to 9999-12-31
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;

    private static IEnumerable<string> Audiences(JsonElement payload)
    {
        if (!payload.TryGetProperty("aud", out var aud)) return [];
        if (aud.ValueKind == JsonValueKind.String) return [aud.GetString()!];
        if (aud.ValueKind == JsonValueKind.Array) return aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!);
        return [];
    }

    /// <summary>Same URL up to the case of scheme and host and a trailing slash.</summary>
    private static bool SameUrl(string presented, string expected) =>
        Uri.TryCreate(presented, UriKind.Absolute, out var a) && Uri.TryCreate(expected, UriKind.Absolute, out var b)
        && Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
        && string.Equals(a.AbsolutePath.TrimEnd('/'), b.AbsolutePath.TrimEnd('/'), StringComparison.Ordinal)
        && a.Query.Length == 0;
}
