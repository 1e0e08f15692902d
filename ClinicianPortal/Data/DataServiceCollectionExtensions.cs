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
        var options = StorageOptions.From(configuration);
        services.AddSingleton(options);
        services.AddSingleton(_ => SqlDialect.Create(options));
        services.AddSingleton(_ => DeidentificationSecret.Load(configuration, options));
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
