using ClinicianPortal.ModelLifecycle;
using ClinicianPortal.Shared.Inference.Models;
using Microsoft.Extensions.Options;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Shared.Reasoning.Findings;

namespace ClinicianPortal.CaseReview;

public static class CaseReviewServiceCollectionExtensions
{
    /// <summary>
    /// Registers the case review: the embedded knowledge base, the finding extractor, the differential engines
    /// (their models compiled into the inference models folder at start-up), <see cref="CaseReviewService"/> and the shadow
    /// reviews. Needs AddInference, AddPatientData and AddModelLifecycle. If inference is unavailable the review says so; the app runs on.
    /// </summary>
    public static IServiceCollection AddCaseReview(this IServiceCollection services)
    {
        services.AddSingleton(_ => KnowledgeBase.LoadEmbedded());
        services.AddSingleton<IFindingExtractor>(sp => new FindingExtractor(sp.GetRequiredService<KnowledgeBase>()));
        services.AddSingleton(sp => new DifferentialModels(sp.GetRequiredService<KnowledgeBase>(), sp.GetRequiredService<ModelRegistry>(),
            sp.GetRequiredService<IOptions<ModelGovernanceOptions>>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("ClinicianPortal.Differential")));
        services.AddSingleton(sp => sp.GetRequiredService<DifferentialModels>().Curated);
        services.AddSingleton<CaseReviewService>(); // needs AddModelLifecycle: it serves the approved version
        services.AddSingleton<ShadowCaseReviews>();
        services.AddSingleton<AuditedCaseReview>(); // needs AddAuditTrail; resolved only where reviews are shown
        services.AddHostedService<CaseReviewStartup>();
        return services;
    }

    /// <summary>Installs the differential model when the app starts, so the first review (and the footer) find it served.</summary>
    private sealed class CaseReviewStartup(CaseReviewService reviews) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            reviews.Start();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
