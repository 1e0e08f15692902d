using ClinicianPortal.Shared.Records;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClinicianPortal.Import;

public static class ImportServiceCollectionExtensions
{
    /// <summary>The import service and the first-run sample-data import (needs <c>AddPatientData</c>).</summary>
    public static IServiceCollection AddImport(this IServiceCollection services)
    {
        services.TryAddSingleton<FhirImporter>();
        services.AddSingleton<ImportService>();
        services.AddHostedService<SampleDataSeeder>();
        return services;
    }
}
