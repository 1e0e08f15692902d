using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using ClinicianPortal.Api.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ClinicianPortal.Api.CdsHooks.ClientTokens;

/// <summary>
/// The "CdsClient" scheme: a CDS Hooks 2.0 client JWT in <c>Authorization: Bearer</c>. The principal carries the same claims as
/// an API key's (<see cref="ApiKeyAuthenticationHandler.KeyIdClaim"/> = "cds-client:&lt;iss&gt;", scopes, rate), so the call log,
/// the rate limiter, the feedback table and the audit trail name the client the way they name a key.
/// Refusals answer 401 problem+json with the reason and a WWW-Authenticate header; the token itself is never logged.
/// </summary>
public sealed class CdsClientAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ClientTokenVerifier verifier, CdsHooksOptions cdsOptions, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "CdsClient";
    /// <summary>The policy scheme of /cds-services: an API key when one is presented, otherwise a client JWT.</summary>
    public const string KeyOrClientScheme = "CdsKeyOrClient";
    public const string IssuerClaim = "cds_client_iss";
    public const string TenantClaim = "cds_client_tenant";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = authorization["Bearer ".Length..].Trim();

        var check = await verifier.VerifyAsync(token, Audiences(), Context.RequestAborted);
        if (check.Client is { } known) Context.Items[ApiKeyAuthenticationHandler.PresentedKeyIdItem] = known.CallerId;
        if (check.Token is not { } verified) return AuthenticateResult.Fail(check.Failure!);

        var client = verified.Client;
        var claims = new List<Claim>
        {
            new(ApiKeyAuthenticationHandler.KeyIdClaim, client.CallerId),
            new(ClaimTypes.Name, client.Issuer),
            new(IssuerClaim, client.Issuer),
            new(ClaimTypes.NameIdentifier, verified.Subject),
            new(ApiKeyAuthenticationHandler.RateClaim, client.RatePerMinute.ToString(CultureInfo.InvariantCulture)),
        };
        if (verified.Tenant is not null) claims.Add(new Claim(TenantClaim, verified.Tenant));
        claims.AddRange(client.Scopes.Select(s => new Claim(ApiKeyAuthenticationHandler.ScopeClaim, s)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    /// <summary>
    /// The aud a token for this request may carry: the endpoint called at the portal's public address (CdsHooks:PortalBaseUrl),
    /// and for feedback also the service's own endpoint (clients differ in which one they sign).
    /// </summary>
    private string[] Audiences()
    {
        var called = cdsOptions.PortalBaseUrl + Request.Path.Value;
        const string feedback = "/feedback";
        return called.EndsWith(feedback, StringComparison.Ordinal) ? [called, called[..^feedback.Length]] : [called];
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        if (result.Failure is { } failure)
        {
            Response.Headers.WWWAuthenticate = $"Bearer realm=\"cds-services\", error=\"invalid_token\", error_description=\"{failure.Message.Replace('"', '\'')}\"";
            await WriteProblemAsync(StatusCodes.Status401Unauthorized, "CDS client not authenticated", $"The client token was refused: {failure.Message}.");
        }
        else
        {
            Response.Headers.WWWAuthenticate = "Bearer realm=\"cds-services\"";
            await WriteProblemAsync(StatusCodes.Status401Unauthorized, "CDS client authentication required",
                "Send a CDS Hooks client JWT signed by a trusted client (Authorization: Bearer <JWT>), or an API key with the case-review scope.");
        }
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var required = Context.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>()?.Scope;
        await WriteProblemAsync(StatusCodes.Status403Forbidden, "Scope missing",
            required is null ? "This CDS client may not make this call." : $"This CDS client is not configured with the '{required}' scope this call needs (CdsHooks:Clients:n:Scopes).");
    }

    private Task WriteProblemAsync(int status, string title, string detail) =>
        problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();

    /// <summary>An API key is recognised by its cpk_ prefix or the X-Api-Key header; anything else goes to the JWT scheme.</summary>
    internal static string SelectScheme(HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        var isKey = http.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
            || (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization["Bearer ".Length..].TrimStart().StartsWith(ApiKeyService.Prefix, StringComparison.Ordinal));
        return isKey ? ApiKeyAuthenticationHandler.SchemeName : SchemeName;
    }
}
