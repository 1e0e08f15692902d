using ClinicianPortal.CaseReview;
using ClinicianPortal.Shared.Inference.Models;
using ClinicianPortal.Shared.Reasoning.Differential;

namespace ClinicianPortal.ModelLifecycle;

public static partial class ModelLifecycleServiceCollectionExtensions
{
    /// <summary>
    /// The model lifecycle (<see cref="ModelGovernance"/>, options from section "ModelGovernance"): at start-up, after the case
    /// review has installed its models, every version the registry serves is registered (the curated differential first, so
    /// that on a fresh installation it is the one approved), and again whenever the models folder changes.
    /// Needs AddInference, AddPatientData, AddAuditTrail and AddCaseReview.
    /// </summary>
    public static IServiceCollection AddModelLifecycle(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ModelGovernanceOptions>().Bind(configuration.GetSection(ModelGovernanceOptions.Section));
        services.AddSingleton<ModelVersionStore>();
        services.AddSingleton<ModelGovernance>();
        services.AddHostedService<ModelLifecycleStartup>();
        return services;
    }

    private sealed partial class ModelLifecycleStartup(ModelGovernance governance, ModelRegistry registry, DifferentialModels differential, CaseReviewService reviews,
        ILogger<ModelLifecycleStartup> logger) : IHostedService, IDisposable
    {
        private readonly CancellationTokenSource stopping = new();
        private bool disposed;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            reviews.Start(); // the engines install their models first
            await RegisterAsync(cancellationToken);
            registry.Changed += OnRegistryChanged;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            registry.Changed -= OnRegistryChanged;
            if (!disposed) stopping.Cancel(); // a host may be disposed before it is stopped
            return Task.CompletedTask;
        }

        public void Dispose()
        {
            registry.Changed -= OnRegistryChanged;
            disposed = true;
            stopping.Dispose();
        }

        private async Task RegisterAsync(CancellationToken cancellationToken)
        {
            var curated = differential.Curated.Spec.Version;
            var served = registry.Models
                .OrderBy(m => m.Id == DifferentialSpec.ModelId && m.Version == curated ? 0 : 1)
                .ThenBy(m => m.Id, StringComparer.Ordinal).ThenBy(m => m.Version, StringComparer.Ordinal);
            await governance.RegisterAsync(served, differential.CardFor, cancellationToken);
            if (await governance.AdoptReleaseAsync(DifferentialSpec.ModelId, curated, reviews.CanRun, cancellationToken))
                LogReleaseAdopted(curated);
        }

        private void OnRegistryChanged(object? sender, EventArgs e) => _ = Task.Run(async () =>
        {
            try
            {
                await RegisterAsync(stopping.Token);
            }
            catch (OperationCanceledException)
            {
            }
#pragma warning disable CA1031 // an event handler must not take the process down; the failure is logged
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogRegisterFailed(ex.GetType().Name);
            }
        });

        [LoggerMessage(Level = LogLevel.Warning, Message = "Models: the approved differential is not part of this release; approved the release's version {Version} (audited)")]
        private partial void LogReleaseAdopted(string version);

        [LoggerMessage(Level = LogLevel.Error, Message = "Models: registering the served versions failed ({ErrorType})")]
        private partial void LogRegisterFailed(string errorType);
    }
}
