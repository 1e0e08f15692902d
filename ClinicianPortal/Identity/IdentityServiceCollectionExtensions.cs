using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using ClinicianPortal.Data;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClinicianPortal.Identity;

public static class IdentityServiceCollectionExtensions
{
    public const string LoginPath = "/login";
    public const string LogoutPath = "/logout";
    public const string AccessDeniedPath = "/access-denied";

    /// <summary>Cookie sign-in against the app's own users table, the role policies, and the demo users.</summary>
    public static IServiceCollection AddPortalIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => PortalIdentityOptions.From(configuration));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<UserStore>();
        services.AddSingleton<SignInService>();
        services.AddSingleton<SessionValidator>();
        services.AddSingleton<UserAdministration>();
        // After AddRazorComponents' default provider: open pages re-check their user too.
        services.AddScoped<AuthenticationStateProvider, RevalidatingSessionStateProvider>();
        services.AddPersistentDataProtection();
        services.AddSingleton(new StartupConsole());
        services.AddHostedService<DemoUserSeeder>();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.LoginPath = LoginPath;
                cookie.LogoutPath = LogoutPath;
                cookie.AccessDeniedPath = AccessDeniedPath;
                cookie.Cookie.Name = "ClinicianPortal.Auth";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                // A shift, renewed while in use.
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                // A disabled user, a reset password or a changed role reaches signed-in sessions on their next request.
                cookie.Events.OnValidatePrincipal = SessionValidator.ValidatePrincipalAsync;
            });
        services.AddAuthorizationBuilder().AddPortalPolicies();
        services.AddCascadingAuthenticationState();
        return services;
    }

    /// <summary>The folder under Storage:DataDirectory that holds the data-protection key ring.</summary>
    public const string DataProtectionKeysFolder = "data-protection-keys";

    /// <summary>
    /// Keeps the keys that protect sign-in cookies (and antiforgery tokens) in the data folder, so that sessions survive a
    /// restart and every instance on the same folder accepts the others' cookies. The keys are not encrypted at rest: the
    /// data folder must be protected like the database it holds.
    /// </summary>
    private static void AddPersistentDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("ClinicianPortal");
        // Configured when first resolved, like the storage options it reads (hosts and tests may add configuration later).
        services.AddOptions<KeyManagementOptions>().Configure<StorageOptions, ILoggerFactory>((options, storage, loggers) =>
            options.XmlRepository = new FileSystemXmlRepository(
                Directory.CreateDirectory(Path.Combine(storage.DataDirectory, DataProtectionKeysFolder)), loggers));
    }

    /// <summary>POST /logout (with the antiforgery token of the form in the header): signs out and goes to the sign-in page.</summary>
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(LogoutPath, async (HttpContext context, IAntiforgery antiforgery) =>
        {
            // Another site must not be able to sign a user out: only the app's own form carries the token.
            if (!await antiforgery.IsRequestValidAsync(context)) return Results.BadRequest("The sign-out form has expired: reload the page and sign out again.");
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect(LoginPath);
        }).AllowAnonymous().DisableAntiforgery();
        return endpoints;
    }
}
