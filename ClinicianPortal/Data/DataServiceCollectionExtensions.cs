using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// The patient store (SQLite or PostgreSQL per <c>Storage:Provider</c>), its migrations at start-up,
    /// and the de-identification key.
    /// </summary>
    public static IServiceCollection AddPatientData(this IServiceCollection services, IConfiguration configuration)
    {
        // Read when first resolved, not now: hosts and tests may still add configuration after this call.
        services.AddSingleton(_ => StorageOptions.From(configuration));
        services.AddSingleton(sp => SqlDialect.Create(sp.GetRequiredService<StorageOptions>()));
        services.AddSingleton(sp => DeidentificationSecret.Load(configuration, sp.GetRequiredService<StorageOptions>()));
        services.AddSingleton<PatientStore>();
        services.AddSingleton<IPatientStore>(sp => sp.GetRequiredService<PatientStore>());
        services.AddSingleton<IKnownIdentifiers>(sp => sp.GetRequiredService<PatientStore>());
        services.AddSingleton<IImportLog>(sp => sp.GetRequiredService<PatientStore>());
        services.AddHostedService<SchemaMigrationService>();
        return services;
    }

    /// <summary>Migrates at start-up, so that a wrong connection string stops the app with a clear error.</summary>
    private sealed class SchemaMigrationService(PatientStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => store.EnsureSchemaAsync(cancellationToken);
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
