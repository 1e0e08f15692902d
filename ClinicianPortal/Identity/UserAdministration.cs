namespace ClinicianPortal.Identity;

/// <summary>The outcome of an administrator's change: what the page says either way.</summary>
public sealed record UserChange(bool Succeeded, string Message)
{
    public static UserChange Done(string message) => new(true, message);
    public static UserChange Refused(string message) => new(false, message);
}

/// <summary>What an initial or reset password must be: long (length is what makes a password strong), and not the user name.</summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    /// <summary>Why the password is refused, or null when it is acceptable.</summary>
    public static string? Problem(string userName, string? password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength) return $"The password needs at least {MinLength} characters.";
        if (password.Length > MaxLength) return $"The password may have at most {MaxLength} characters.";
        if (password.Distinct().Count() < 4) return "The password needs more than a few different characters.";
        if (!string.IsNullOrWhiteSpace(userName) && password.Contains(userName.Trim(), StringComparison.OrdinalIgnoreCase))
            return "The password must not contain the user name.";
        return null;
    }
}

/// <summary>
/// The /admin/users page's operations: create users, change roles, reset passwords, unlock and disable, with the rules
/// (password policy, never zero active administrators, no disabling oneself). Changes reach signed-in users on their next
/// request (<see cref="SessionValidator"/>): disabled users and reset passwords sign the user out; a new role applies at once.
/// </summary>
public sealed class UserAdministration(UserStore users, TimeProvider clock, ILogger<UserAdministration> logger)
{
    public const int MaxUserNameLength = 64;

    public Task<IReadOnlyList<PortalUser>> ListAsync(CancellationToken cancellationToken = default) => users.ListAsync(cancellationToken);

    public bool IsLockedOut(PortalUser user) => (user ?? throw new ArgumentNullException(nameof(user))).IsLockedOut(clock.GetUtcNow());

    public async Task<UserChange> CreateAsync(string? userName, string? role, string? password, CancellationToken cancellationToken = default)
    {
        userName = (userName ?? "").Trim();
        if (userName.Length is 0 or > MaxUserNameLength || userName.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            return UserChange.Refused($"A user name has 1 to {MaxUserNameLength} characters and no spaces.");
        if (role is null || !Roles.IsKnown(role)) return UserChange.Refused($"Choose a role: {string.Join(", ", Roles.All.Select(Roles.DisplayName))}.");
        if (PasswordPolicy.Problem(userName, password) is { } problem) return UserChange.Refused(problem);
        if (!await users.CreateAsync(userName, role, SignInService.HashPassword(password!), cancellationToken))
            return UserChange.Refused($"The user name '{userName}' is taken.");
        logger.LogInformation("Administrator created a user with role {Role}", role);
        return UserChange.Done($"Created {userName} ({Roles.DisplayName(role)}).");
    }

    public async Task<UserChange> ChangeRoleAsync(string userId, string? role, CancellationToken cancellationToken = default)
    {
        if (role is null || !Roles.IsKnown(role)) return UserChange.Refused($"Choose a role: {string.Join(", ", Roles.All.Select(Roles.DisplayName))}.");
        if (await users.FindByIdAsync(userId, cancellationToken) is not { } user) return NoSuchUser;
        if (user.Role == role) return UserChange.Done($"{user.UserName} already is {Roles.DisplayName(role)}.");
        if (!await users.SetRoleAsync(userId, role, cancellationToken))
            return UserChange.Refused($"{user.UserName} is the last active administrator: make another user administrator first.");
        logger.LogInformation("Administrator changed the role of user {UserId} to {Role}", userId, role);
        return UserChange.Done($"{user.UserName} is now {Roles.DisplayName(role)} (from their next request).");
    }

    public async Task<UserChange> ResetPasswordAsync(string userId, string? password, CancellationToken cancellationToken = default)
    {
        if (await users.FindByIdAsync(userId, cancellationToken) is not { } user) return NoSuchUser;
        if (PasswordPolicy.Problem(user.UserName, password) is { } problem) return UserChange.Refused(problem);
        await users.SetPasswordHashAsync(userId, SignInService.HashPassword(password!), cancellationToken);
        logger.LogInformation("Administrator reset the password of user {UserId}", userId);
        return UserChange.Done($"New password set for {user.UserName}; their open sessions are signed out.");
    }

    /// <summary>Ends a lockout after failed sign-ins, or re-enables a disabled user.</summary>
    public async Task<UserChange> UnlockAsync(string userId, CancellationToken cancellationToken = default)
    {
        if (await users.FindByIdAsync(userId, cancellationToken) is not { } user) return NoSuchUser;
        await users.ResetFailuresAsync(userId, cancellationToken);
        logger.LogInformation("Administrator unlocked user {UserId}", userId);
        return UserChange.Done(user.IsDisabled ? $"{user.UserName} is enabled again." : $"{user.UserName} is unlocked.");
    }

    /// <param name="actingUserId">The administrator making the change, who may not disable themselves.</param>
    public async Task<UserChange> DisableAsync(string actingUserId, string userId, CancellationToken cancellationToken = default)
    {
        if (await users.FindByIdAsync(userId, cancellationToken) is not { } user) return NoSuchUser;
        if (userId == actingUserId) return UserChange.Refused("You cannot disable your own account.");
        if (user.IsDisabled) return UserChange.Done($"{user.UserName} is already disabled.");
        if (!await users.DisableAsync(userId, cancellationToken))
            return UserChange.Refused($"{user.UserName} is the last active administrator and cannot be disabled.");
        logger.LogInformation("Administrator disabled user {UserId}", userId);
        return UserChange.Done($"{user.UserName} is disabled and signed out.");
    }

    private static UserChange NoSuchUser => UserChange.Refused("That user no longer exists: reload the page.");
}
