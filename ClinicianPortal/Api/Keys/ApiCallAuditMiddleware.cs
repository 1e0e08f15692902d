using System.Diagnostics;
using System.Data.Common;

namespace ClinicianPortal.Api.Keys;

/// <summary>
/// Writes one <see cref="ApiCall"/> per request under /api/v1 and /cds-services, whatever its outcome (401, 429 and 500 included):
/// the key, the route template (never the concrete path), the patient pseudonym when a patient was served, the status.
/// </summary>
public sealed class ApiCallAuditMiddleware(RequestDelegate next, ApiCallLog log, TimeProvider time, ILogger<ApiCallAuditMiddleware> logger)
{
    /// <summary>"/api/v1/patients/{patientId}": the template, so that the log holds no query strings or unknown paths.</summary>
    private static string RouteTemplate(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } template ? "/" + template.Trim('/') : "(no route)";

    /// <summary>
    /// The patient id of the route, only when the call succeeded: then it is a stored pseudonym. An id that was refused
    /// or not found is whatever the caller typed, which could be a name, so it is not kept.
    /// </summary>
    private static string? PatientServed(HttpContext context, bool failed) =>
        !failed && context.Response.StatusCode is >= 200 and < 300 && context.Request.RouteValues.TryGetValue("patientId", out var id) ? id as string : null;

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.Path.StartsWithSegments(PortalApi.Prefix, StringComparison.OrdinalIgnoreCase)
            && !context.Request.Path.StartsWithSegments(CdsHooks.CdsHooksApi.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }
        var calledAt = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var call = new ApiCall(
                context.User.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value ?? context.Items[ApiKeyAuthenticationHandler.PresentedKeyIdItem] as string,
                context.Request.Method,
                RouteTemplate(context),
                PatientServed(context, failed),
                failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode,
                calledAt,
                clock.Elapsed);
            try
            {
                await log.AppendAsync(call, CancellationToken.None);
            }
            catch (DbException ex)
            {
                // The call itself has been answered; a lost audit row is reported, not turned into a failure.
                logger.LogError("Could not write the API call log ({Route} {Status}): {Error}", call.Route, call.Status, ex.Message);
            }
        }
    }
}
