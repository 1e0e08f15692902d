using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ClinicianPortal.Api.Keys;

/// <summary>
/// The "ApiKey" authentication scheme, used by /api/v1 only: the key comes as <c>Authorization: Bearer cpk_...</c>
/// or <c>X-Api-Key: cpk_...</c>. Challenges and refusals answer with problem+json (401 / 403).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyService keys, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string KeyIdClaim = "api_key_id";
    public const string ScopeClaim = "scope";
    public const string RateClaim = "api_rate_per_minute";
    /// <summary>HttpContext.Items entry holding the id of a presented key that exists, valid or not (for the call log).</summary>
    public const string PresentedKeyIdItem = "ApiKey.PresentedId";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = PresentedToken();
        if (token is null) return AuthenticateResult.NoResult();

        var check = await keys.CheckAsync(token, Context.RequestAborted);
        if (check.KnownKeyId is not null) Context.Items[PresentedKeyIdItem] = check.KnownKeyId;
        if (check.Key is not { } key) return AuthenticateResult.Fail(check.Failure!);

        var claims = new List<Claim>
        {
            new(KeyIdClaim, key.Id),
            new(ClaimTypes.Name, key.Name),
            new(RateClaim, key.RatePerMinute.ToString(CultureInfo.InvariantCulture)),
        };
        claims.AddRange(key.Scopes.Select(s => new Claim(ScopeClaim, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private string? PresentedToken()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization["Bearer ".Length..].Trim();
        var header = Request.Headers[HeaderName].ToString();
        return header.Length > 0 ? header.Trim() : null;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "API key required",
            result.Failure?.Message ?? $"Send an API key as 'Authorization: Bearer <key>' or '{HeaderName}: <key>'.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var required = Context.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>()?.Scope;
        await WriteProblemAsync(StatusCodes.Status403Forbidden, "Scope missing",
            required is null ? "The API key does not allow this call." : $"The API key does not have the '{required}' scope this call needs.");
    }

    private Task WriteProblemAsync(int status, string title, string detail) =>
        problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
}

/// <summary>Endpoint metadata naming the scope a call needs (for the 403 message and the docs).</summary>
public sealed record RequiredScope(string Scope)
{
    /// <summary>The authorization policy of a scope: an "ApiKey" principal holding it.</summary>
    public static string Policy(string scope) => "ApiKey:" + scope;
}
