using ClinicianPortal.ModelLifecycle;
using ClinicianPortal.Shared.Inference.Models;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Shared.Reasoning.Findings;
using ClinicianPortal.Shared.Reasoning.LanguageModel;
using Microsoft.Extensions.Options;

namespace ClinicianPortal.CaseReview;

public static class CaseReviewServiceCollectionExtensions
{
    /// <summary>
    /// Registers the case review: the embedded knowledge base, the finding extractor, the differential engines
    /// (their models compiled into the inference models folder at start-up), <see cref="CaseReviewService"/> and the shadow
    /// reviews. Needs AddInference, AddPatientData and AddModelLifecycle. If inference is unavailable the review says so; the app runs on.
    /// The optional language model (<see cref="LanguageModelOptions.Section"/>) rewrites the summary of audited reviews.
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
        services.AddOptions<LanguageModelOptions>().BindConfiguration(LanguageModelOptions.Section);
        services.AddSingleton<CaseReviewLanguageModel>();
        services.AddSingleton<AuditedCaseReview>(); // needs AddAuditTrail; resolved only where reviews are shown
        services.AddHostedService<CaseReviewStartup>();
        return services;
    }

    /// <summary>Installs the differential model when the app starts, so the first review (and the footer) find it served.</summary>
    /// The language model's settings are checked here too, so that a misconfigured one stops the start.
    private sealed class CaseReviewStartup(CaseReviewService reviews, CaseReviewLanguageModel languageModel) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = languageModel.Orchestrator;
            reviews.Start();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
