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

    /// <summary>Each policy and the roles it admits.</summary>
    public static IReadOnlyDictionary<string, string[]> RolesByPolicy { get; } = new Dictionary<string, string[]>
    {
        [PatientRecords] = [Roles.Physician, Roles.CareTeam, Roles.Admin],
        [Import] = [Roles.Admin],
        [AuditLog] = [Roles.Admin],
        [ValidationQueue] = [Roles.Validator, Roles.Admin],
    };

    public static AuthorizationBuilder AddPortalPolicies(this AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        foreach (var (policy, roles) in RolesByPolicy) builder.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
        return builder;
    }
}
