namespace ClinicianPortal.Identity;

/// <summary>A user of the portal as stored: never the password, only its hash.</summary>
public sealed record PortalUser(string Id, string UserName, string Role, string PasswordHash, int FailedAttempts, DateTimeOffset? LockoutEnd)
{
    /// <summary>Disabled by an administrator (locked out for good, see <see cref="UserStore.DisabledUntil"/>).</summary>
    public bool IsDisabled => LockoutEnd == UserStore.DisabledUntil;

    /// <summary>Locked out now, after too many failed sign-ins (a disabled user is not "locked", it is disabled).</summary>
    public bool IsLockedOut(DateTimeOffset now) => !IsDisabled && LockoutEnd > now;
}
