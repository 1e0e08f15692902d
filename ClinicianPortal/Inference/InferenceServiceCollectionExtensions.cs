using ClinicianPortal.Shared.Inference;
using ClinicianPortal.Shared.Inference.Models;
using Microsoft.Extensions.Options;

namespace ClinicianPortal.Inference;

public static class InferenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the inference capability from configuration section "Inference" (ModelsDirectory,
    /// ExecutionProviders, IntraOpThreads, GraphOptimization, AllowSpinning, NativeLibraryPath).
    /// The engine starts and the models folder is read when the app starts, not on first use.
    /// </summary>
    public static IServiceCollection AddInference(this IServiceCollection services, IConfiguration configuration)
    {
        // Bound when first resolved, so that configuration added after registration (tests, hosting) still applies.
        services.AddOptions<InferenceOptions>().Bind(configuration.GetSection(InferenceOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<InferenceOptions>>().Value);
        services.AddSingleton(sp => new InferenceHost(sp.GetRequiredService<InferenceOptions>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<ModelRegistry>(sp => sp.GetRequiredService<InferenceHost>().Models);
        services.AddHostedService<InferenceStartup>();
        return services;
    }

    /// <summary>Creates the host at start-up so that provider choice and model checks are logged before the first request.</summary>
    private sealed class InferenceStartup(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<InferenceHost>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
