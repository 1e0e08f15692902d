using Microsoft.AspNetCore.Authorization;

namespace ClinicianPortal.Identity;

/// <summary>
/// Who may open what, in one place. Every page and endpoint names one of these policies; anything that names
/// none needs a signed-in user (the fallback policy), and only the sign-in pages and /health/inference are anonymous.
/// </summary>
public static class Policies
{
    /// <summary>Patient list and patient pages (PHI, de-identified).</summary>
    public const string PatientRecords = "PatientRecords";
    /// <summary>Importing records.</summary>
    public const string Import = "Import";
    /// <summary>The audit log of AI outputs and its verification.</summary>
    public const string AuditLog = "AuditLog";
    /// <summary>The (blinded) validation queue.</summary>
    public const string ValidationQueue = "ValidationQueue";
    /// <summary>Annotating AI outputs on the case, and the list of open disagreements and unsafe flags.</summary>
    public const string Annotate = "Annotate";
    /// <summary>Model versions, model cards and promotion.</summary>
    public const string ModelGovernance = "ModelGovernance";
    /// <summary>Validation dashboards (aggregate ratings, so never shown to validators, who rate blinded).</summary>
    public const string Dashboards = "Dashboards";
    /// <summary>Users and API keys.</summary>
    public const string Administration = "Administration";

    /// <summary>Each policy and the roles it admits.</summary>
    public static IReadOnlyDictionary<string, string[]> RolesByPolicy { get; } = new Dictionary<string, string[]>
    {
        [PatientRecords] = [Roles.Physician, Roles.CareTeam, Roles.Admin],
        [Import] = [Roles.Admin],
        [AuditLog] = [Roles.Admin],
        [ValidationQueue] = [Roles.Validator, Roles.Admin],
        [Annotate] = [Roles.Physician, Roles.CareTeam],
        [ModelGovernance] = [Roles.Admin],
        [Dashboards] = [Roles.Admin],
        [Administration] = [Roles.Admin],
    };

    public static AuthorizationBuilder AddPortalPolicies(this AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Pages need a signed-in user. The HTTP API authenticates with API keys on its own endpoints, so a
        // request under its prefix that matches none of them (unknown path, wrong method or content type)
        // gets the API's problem response, not a redirect to the sign-in page.
        builder.SetFallbackPolicy(new AuthorizationPolicyBuilder()
            .RequireAssertion(context => context.User.Identity?.IsAuthenticated == true
                || (context.Resource is HttpContext http && http.Request.Path.StartsWithSegments(Api.PortalApi.Prefix, StringComparison.OrdinalIgnoreCase)))
            .Build());
        foreach (var (policy, roles) in RolesByPolicy) builder.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
        return builder;
    }
}
