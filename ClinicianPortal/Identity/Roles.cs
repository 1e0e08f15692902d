namespace ClinicianPortal.Identity;

/// <summary>The portal's roles: every user has exactly one.</summary>
public static class Roles
{
    public const string Physician = "physician";
    public const string CareTeam = "careteam";
    /// <summary>Validates model outputs on blinded cases: never sees patient records.</summary>
    public const string Validator = "validator";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Physician, CareTeam, Validator, Admin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    /// <summary>How the role reads in the header.</summary>
    public static string DisplayName(string? role) => role switch
    {
        Physician => "Physician",
        CareTeam => "Care team",
        Validator => "Validator",
        Admin => "Administrator",
        _ => "No role",
    };

    /// <summary>Where a user of the role starts after signing in.</summary>
    public static string HomePath(string? role) => role == Validator ? "/validation" : "/patients";
}
