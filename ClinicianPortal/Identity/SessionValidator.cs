using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace ClinicianPortal.Identity;

/// <summary>
/// Makes an administrator's changes reach sessions that are already signed in. On every request the cookie is checked
/// against the users table: a deleted or disabled user, or one whose password was reset since signing in, is signed
/// out; a user whose role changed gets a cookie with the new role (the change applies to that very request).
/// </summary>
public sealed class SessionValidator(UserStore users)
{
    public const string PasswordStampClaim = "password_stamp";

    /// <summary>A short fingerprint of the password hash: it changes when the password is reset, and reveals nothing.</summary>
    public static string PasswordStamp(string passwordHash) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(passwordHash)))[..16];

    /// <summary>The stored user behind the principal when its session is still valid; null when it must end.</summary>
    public async Task<PortalUser?> CurrentUserAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.FindFirst(ClaimTypes.NameIdentifier)?.Value is not { } id) return null;
        var user = await users.FindByIdAsync(id, cancellationToken);
        if (user is null || user.IsDisabled) return null;
        return principal.FindFirst(PasswordStampClaim)?.Value == PasswordStamp(user.PasswordHash) ? user : null;
    }

    /// <summary>The cookie handler's OnValidatePrincipal.</summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Principal is not { } principal) return;
        var validator = context.HttpContext.RequestServices.GetRequiredService<SessionValidator>();
        var user = await validator.CurrentUserAsync(principal, context.HttpContext.RequestAborted);
        if (user is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
        else if (principal.FindFirst(ClaimTypes.Role)?.Value != user.Role || principal.Identity?.Name != user.UserName)
        {
            context.ReplacePrincipal(SignInService.PrincipalFor(user));
            context.ShouldRenew = true;
        }
    }
}

/// <summary>
/// An open page (a Blazor circuit) keeps the principal it started with; this checks it again every
/// <see cref="PortalIdentityOptions.OpenPageRecheck"/> (a minute), so that a disabled user, a reset password or a changed
/// role also ends the session of a page left open: the page then says "Sign in required".
/// </summary>
public sealed class RevalidatingSessionStateProvider(ILoggerFactory loggerFactory, SessionValidator sessions, PortalIdentityOptions options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => options.OpenPageRecheck;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var user = await sessions.CurrentUserAsync(authenticationState.User, cancellationToken);
        return user is not null && authenticationState.User.FindFirst(ClaimTypes.Role)?.Value == user.Role;
    }
}
