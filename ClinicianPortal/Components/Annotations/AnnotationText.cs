using System.Globalization;
using ClinicianPortal.Identity;

namespace ClinicianPortal.Components.Annotations;

/// <summary>How annotations read on screen.</summary>
public static class AnnotationText
{
    public static string Role(string role) => role == "cds-client" ? "EHR user" : Roles.DisplayName(role);

    public static string When(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
