using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace ClinicianPortal.Identity;

public enum SignInOutcome { Succeeded, InvalidCredentials, LockedOut, Disabled }

public sealed record SignInResult(SignInOutcome Outcome, PortalUser? User = null, DateTimeOffset? LockedUntil = null)
{
    /// <summary>What the sign-in page says: the same words for an unknown user and a wrong password.</summary>
    public string? Message => Outcome switch
    {
        SignInOutcome.InvalidCredentials => "The user name or password is incorrect.",
        SignInOutcome.Disabled => "This account is disabled. Ask an administrator.",
        SignInOutcome.LockedOut => $"This account is locked after too many failed sign-ins. Try again after {LockedUntil:HH:mm} UTC, or ask an administrator.",
        _ => null,
    };
}

/// <summary>
/// Checks a user name and password with ASP.NET Core Identity's password hasher, counts failures and locks the
/// account after <see cref="PortalIdentityOptions.MaxFailedAttempts"/> of them. Never logs a password or a user name.
/// </summary>
public sealed class SignInService(UserStore users, PortalIdentityOptions options, TimeProvider clock, ILogger<SignInService> logger)
{
    private static readonly PasswordHasher<PortalUser> Hasher = new();
    // Verified when the user does not exist, so that an unknown name takes as long as a wrong password.
    private static readonly Lazy<string> DecoyHash = new(() => Hasher.HashPassword(null!, Guid.NewGuid().ToString()));

    public static string HashPassword(string password) => Hasher.HashPassword(null!, password);

    public async Task<SignInResult> PasswordSignInAsync(string? userName, string? password, CancellationToken cancellationToken = default)
    {
        var user = string.IsNullOrWhiteSpace(userName) ? null : await users.FindByNameAsync(userName, cancellationToken);
        if (user is null)
        {
            Hasher.VerifyHashedPassword(null!, DecoyHash.Value, password ?? "");
            logger.LogInformation("Sign-in refused: unknown user or wrong password");
            return new SignInResult(SignInOutcome.InvalidCredentials);
        }
        var now = clock.GetUtcNow();
        if (user.IsDisabled)
        {
            Hasher.VerifyHashedPassword(null!, DecoyHash.Value, password ?? "");
            logger.LogWarning("Sign-in refused: account {UserId} is disabled", user.Id);
            return new SignInResult(SignInOutcome.Disabled);
        }
        if (user.LockoutEnd > now)
        {
            logger.LogWarning("Sign-in refused: account {UserId} is locked out", user.Id);
            return new SignInResult(SignInOutcome.LockedOut, LockedUntil: user.LockoutEnd);
        }

        var verdict = Hasher.VerifyHashedPassword(user, user.PasswordHash, password ?? "");
        if (verdict == PasswordVerificationResult.Failed)
        {
            var failures = await users.RecordFailureAsync(user.Id, cancellationToken);
            if (failures < options.MaxFailedAttempts)
            {
                logger.LogInformation("Sign-in refused: unknown user or wrong password");
                return new SignInResult(SignInOutcome.InvalidCredentials);
            }
            var until = now + options.LockoutDuration;
            await users.LockOutAsync(user.Id, until, cancellationToken);
            logger.LogWarning("Account {UserId} locked out after {Failures} failed sign-ins", user.Id, failures);
            return new SignInResult(SignInOutcome.LockedOut, LockedUntil: until);
        }

        await users.ResetFailuresAsync(user.Id, cancellationToken);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            await users.SetPasswordHashAsync(user.Id, HashPassword(password!), cancellationToken);
        return new SignInResult(SignInOutcome.Succeeded, user with { FailedAttempts = 0, LockoutEnd = null });
    }

    /// <summary>The cookie principal of a signed-in user: id, name, role and the stamp of the password it signed in with.</summary>
    public static ClaimsPrincipal PrincipalFor(PortalUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.UserName), new Claim(ClaimTypes.Role, user.Role),
                new Claim(SessionValidator.PasswordStampClaim, SessionValidator.PasswordStamp(user.PasswordHash)),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme);
        return new ClaimsPrincipal(identity);
    }
}
