namespace ClinicianPortal.Identity;

/// <summary>A user of the portal as stored: never the password, only its hash.</summary>
public sealed record PortalUser(string Id, string UserName, string Role, string PasswordHash, int FailedAttempts, DateTimeOffset? LockoutEnd);
