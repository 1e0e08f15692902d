using ClinicianPortal.Shared.Reasoning.LanguageModel;
using Microsoft.Extensions.Options;

namespace ClinicianPortal.CaseReview;

/// <summary>
/// The case review's optional language model, from <c>CaseReview:LanguageModel</c>: an orchestrator when an
/// Endpoint is configured, none otherwise (deterministic reviews, the default). A misconfigured endpoint stops
/// the app at start-up with the setting that is wrong.
/// </summary>
public sealed class CaseReviewLanguageModel : IDisposable
{
    private readonly HttpClient? _http;

    public CaseReviewLanguageModel(IOptions<LanguageModelOptions> options, ILoggerFactory loggers)
    {
        var settings = options.Value;
        if (!settings.IsConfigured) return;
        if (settings.Validate() is { Count: > 0 } errors)
            throw new InvalidOperationException($"{LanguageModelOptions.Section} is misconfigured: {string.Join("; ", errors)}.");
        // The orchestrator's deadline bounds every call; the client's own 100 s default would cut it short.
        _http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var logger = loggers.CreateLogger("ClinicianPortal.LanguageModel");
        Orchestrator = new LanguageModelOrchestrator(new OpenAiCompatibleChatClient(_http, settings, logger), settings.Model!,
            TimeSpan.FromSeconds(settings.TimeoutSeconds), settings.MaxToolRounds, logger);
    }

    /// <summary>Null when no language model is configured.</summary>
    public LanguageModelOrchestrator? Orchestrator { get; }

    public void Dispose() => _http?.Dispose();
}
