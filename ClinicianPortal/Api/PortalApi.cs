using System.Globalization;
using System.Threading.RateLimiting;
using ClinicianPortal.Api.CdsHooks;
using ClinicianPortal.Api.CdsHooks.ClientTokens;
using ClinicianPortal.Api.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.OpenApi.Models;

namespace ClinicianPortal.Api;

/// <summary>
/// The REST API under /api/v1: its services (problem details, the ApiKey scheme, per-key rate limits, OpenAPI),
/// its middleware (problem+json errors and the call log for /api) and its endpoint groups.
/// </summary>
public static class PortalApi
{
    public const string Prefix = "/api/v1";
    public const string RateLimitPolicy = "ApiKey";

    public static IServiceCollection AddPortalApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => ApiOptions.From(configuration));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<ApiCallLog>();
        services.AddHostedService<ApiCallLogPruner>();
        services.AddCdsHooks(configuration);

        services.AddProblemDetails(o => o.CustomizeProblemDetails = ApiProblems.Complete);

        // The API's own scheme, named on each API policy: the web UI's scheme (cookies) stays the default for pages.
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        var authorization = services.AddAuthorizationBuilder();
        foreach (var scope in ApiScopes.All)
        {
            authorization.AddPolicy(RequiredScope.Policy(scope), p => p
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, scope));
        }

        services.AddRateLimiter(o =>
        {
            // One fixed one-minute window per key, of the key's own size (a changed rate starts a new window).
            o.AddPolicy(RateLimitPolicy, http =>
            {
                var keyId = http.User.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value;
                var rate = int.TryParse(http.User.FindFirst(ApiKeyAuthenticationHandler.RateClaim)?.Value, CultureInfo.InvariantCulture, out var r) ? r : 0;
                if (keyId is null || rate <= 0) return RateLimitPartition.GetNoLimiter("");
                return RateLimitPartition.GetFixedWindowLimiter($"{keyId}:{rate}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = rate,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            o.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Rate limit exceeded",
                        Detail = $"This caller (API key or CDS client) may make {context.HttpContext.User.FindFirst(ApiKeyAuthenticationHandler.RateClaim)?.Value} calls per minute; retry after {seconds} s.",
                    },
                });
            };
        });

        services.AddOpenApi("v1", o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith(Prefix[1..], StringComparison.OrdinalIgnoreCase) == true
                || d.RelativePath?.StartsWith(CdsHooksApi.Prefix[1..], StringComparison.OrdinalIgnoreCase) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ClinicianPortal API",
                    Version = "v1",
                    Description = "De-identified patient records, FHIR import, case review and CDS Hooks 2.0 services (/cds-services). Authenticate with an API key " +
                        "(`Authorization: Bearer cpk_<id>_<secret>` or `X-Api-Key`), or at /cds-services as a trusted CDS client with its JWT; errors are RFC 9457 problem+json.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "cpk_<id>_<secret>",
                    Description = "An API key, created by an administrator (`ClinicianPortal apikey create`).",
                };
                document.Components.SecuritySchemes[CdsClientAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "/cds-services only: a CDS Hooks 2.0 client JWT signed (ES384 or RS384) by a trusted CDS client (CdsHooks:Clients).",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiredScope>().LastOrDefault() is not { } scope) return Task.CompletedTask;
                var reference = new OpenApiSecurityScheme { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = ApiKeyAuthenticationHandler.SchemeName } };
                operation.Security = [new OpenApiSecurityRequirement { [reference] = [scope.Scope] }];
                if (context.Description.RelativePath?.StartsWith(CdsHooksApi.Prefix[1..], StringComparison.OrdinalIgnoreCase) == true)
                {
                    // Either credential: the alternatives are separate requirements.
                    var client = new OpenApiSecurityScheme { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = CdsClientAuthenticationHandler.SchemeName } };
                    operation.Security.Add(new OpenApiSecurityRequirement { [client] = [] });
                }
                var cds = operation.Security.Count > 1;
                operation.Description += cds
                    ? $"\n\nNeeds an API key with the `{scope.Scope}` scope, or a JWT of a trusted CDS client (CdsHooks:Clients) with that scope."
                    : $"\n\nNeeds an API key with the `{scope.Scope}` scope.";
                foreach (var (status, text) in new[] { ("401", cds ? "No valid API key or CDS client JWT" : "No valid API key"),
                             ("403", $"The caller lacks the '{scope.Scope}' scope"), ("429", "Rate limit exceeded (see Retry-After)") })
                    operation.Responses.TryAdd(status, new OpenApiResponse { Description = text });
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>
    /// The docs page (/api/docs, Swagger UI over /openapi/v1.json), and for paths under /api: problem+json for exceptions and empty error responses, and one call-log row per /api/v1
    /// call. Goes before UseAuthentication, so that 401s and 429s are logged too.
    /// </summary>
    public static IApplicationBuilder UsePortalApi(this IApplicationBuilder app)
    {
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || http.Request.Path.StartsWithSegments(CdsHooks.CdsHooksApi.Prefix, StringComparison.OrdinalIgnoreCase), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
            api.UseMiddleware<ApiCallAuditMiddleware>();
        });
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "api/docs";
            o.SwaggerEndpoint("/openapi/v1.json", "ClinicianPortal API v1");
            o.DocumentTitle = "ClinicianPortal API";
        });
        return app;
    }

    /// <summary>The /api/v1 groups (ApiKey scheme; the read scope unless an endpoint asks for another) and /openapi/v1.json.</summary>
    public static IEndpointRouteBuilder MapPortalApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix)
            .RequireRateLimiting(RateLimitPolicy)
            .AddEndpointFilter(LimitRequestBody)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapGroup("").RequireAuthorization(RequiredScope.Policy(ApiScopes.Read)).WithMetadata(new RequiredScope(ApiScopes.Read))
            .MapPatientsApi();
        api.MapImportApi();
        api.MapCaseReviewApi();
        endpoints.MapCdsHooksApi();

        // The contract is public (integrators read it before they hold a key), whatever the web UI requires.
        endpoints.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        return endpoints;
    }

    /// <summary>413 before any work when the declared body is over the call's limit; the server enforces the same limit while reading.</summary>
    internal static async ValueTask<object?> LimitRequestBody(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var options = http.RequestServices.GetRequiredService<ApiOptions>();
        var limit = http.GetEndpoint()?.Metadata.GetMetadata<LargeRequestBody>() is null ? options.MaxRequestBytes : options.MaxImportBytes;
        if (http.Request.ContentLength > limit) return ApiProblems.TooLarge(limit);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit + 1;
        return await next(context);
    }
}
