using ClinicianPortal.Annotations;
using ClinicianPortal.Api;
using ClinicianPortal.Audit;
using ClinicianPortal.CaseReview;
using ClinicianPortal.Components;
using ClinicianPortal.Dashboards;
using ClinicianPortal.Data;
using ClinicianPortal.Identity;
using ClinicianPortal.Import;
using ClinicianPortal.Inference;
using ClinicianPortal.ModelLifecycle;
using ClinicianPortal.Validation;
using Radzen;

namespace ClinicianPortal;

/// <summary>
/// The web app's composition, in one place: Program runs it, and command-line benchmarks host the same
/// app in-process.
/// </summary>
public static class PortalApp
{
    /// <param name="configure">Extra setup before the app is built (e.g. configuration for a benchmark host).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Package assets (_content/...) are served from the build output in every environment, so that
        // `dotnet run` works the same in Development and Production (publish output has them in wwwroot).
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddRadzenComponents();
        builder.Services.AddClinicianUi();
        builder.Services.AddInference(builder.Configuration);
        builder.Services.AddPatientData(builder.Configuration);
        builder.Services.AddImport();
        builder.Services.AddPortalIdentity(builder.Configuration);
        builder.Services.AddAuditTrail();
        builder.Services.AddAnnotations();
        builder.Services.AddCaseReview();
        builder.Services.AddDashboards();
        builder.Services.AddValidation(builder.Configuration);
        builder.Services.AddModelLifecycle(builder.Configuration);
        builder.Services.AddPortalApi(builder.Configuration);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseStaticFiles();
        app.UsePortalApi();
        // Every endpoint needs a signed-in user unless it says otherwise (Identity/Policies.cs); the
        // /api/v1 group authenticates with API keys instead (Api/Keys).
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter(); // after authorization: limits are per API key
        app.UseAntiforgery();
        app.MapInferenceApi();
        app.MapAccountApi();
        app.MapPortalApi();
        app.MapValidationApi();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode()
            // The framework script is public code that the (anonymous) sign-in page loads too.
            .Add(endpoint =>
            {
                if (endpoint is RouteEndpointBuilder { RoutePattern.RawText: { } route } && route.Contains("_framework/", StringComparison.Ordinal))
                    endpoint.Metadata.Add(new Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute());
            });
        return app;
    }
}
