using ClinicianPortal.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClinicianPortal.Validation;

public static class ValidationServiceCollectionExtensions
{
    /// <summary>The validation queue and ratings (<see cref="ValidationStore"/>), configured by the "Validation" section. Needs AddPatientData.</summary>
    public static IServiceCollection AddValidation(this IServiceCollection services, IConfiguration configuration)
    {
        // Read when first resolved: hosts and tests may still add configuration after this call.
        services.AddSingleton(_ => ValidationOptions.From(configuration));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ValidationStore>();
        return services;
    }

    /// <summary>GET /admin/validation/export.jsonl: the rated outputs, streamed (administrators).</summary>
    public static IEndpointRouteBuilder MapValidationApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/admin/validation/export.jsonl", async (ValidationStore store, HttpContext http, CancellationToken cancellationToken) =>
        {
            http.Response.ContentType = ValidationExport.ContentType;
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{ValidationExport.FileName}\"";
            await ValidationExport.WriteAsync(store.RatedAsync(cancellationToken), http.Response.Body, cancellationToken);
        }).RequireAuthorization(Policies.ModelGovernance).ExcludeFromDescription();
        return endpoints;
    }
}
