using ClinicianPortal.Data;
using ClinicianPortal.Shared.Inference;
using ClinicianPortal.Shared.Inference.Models;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Shared.Reasoning.Findings;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.CaseReview;

/// <summary>Whether reviews can run now, and if not, why (shown instead of a review).</summary>
public sealed record CaseReviewAvailability(bool Available, string? Reason);

/// <summary>
/// Reviews a stored patient: loads the de-identified record and runs the deterministic orchestrator.
/// The differential engine is created (and its model installed) on <see cref="Start"/> or the first review.
/// </summary>
public sealed partial class CaseReviewService(IPatientStore store, IServiceProvider services, InferenceHost inference, ILogger<CaseReviewService> logger)
{
    private readonly Lazy<(CaseReviewer? Reviewer, string? Error)> _reviewer = new(() => Create(services, logger));

    /// <summary>Creates the engine and installs the model (idempotent).</summary>
    public void Start() => _ = _reviewer.Value;

    public CaseReviewAvailability Availability
    {
        get
        {
            var (reviewer, error) = _reviewer.Value;
            if (reviewer is null) return new(false, error);
            if (inference.Runtime is null) return new(false, "Inference is unavailable: " + inference.RuntimeError);
            var status = inference.Models.Status(DifferentialSpec.ModelId);
            return status?.State == ModelState.Available
                ? new(true, null)
                : new(false, $"The differential model is not served: {status?.Error ?? "not installed"}");
        }
    }

    /// <returns>The review, or null when no such patient is stored.</returns>
    /// <exception cref="CaseReviewUnavailableException">The differential cannot run (see <see cref="Availability"/>).</exception>
    public async Task<CaseReviewResult?> ReviewAsync(string patientId, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var record = await LoadAsync(patientId, cancellationToken);
        return record is null ? null : Review(record, progress, cancellationToken);
    }

    /// <summary>
    /// As <see cref="ReviewAsync"/>, then, when a language model is configured (<see cref="CaseReviewLanguageModel"/>), lets it
    /// rewrite the summary as prose: shown only if every sentence is grounded, otherwise the rejection is in the provenance.
    /// For reviews that are audited before anyone reads them (<see cref="AuditedCaseReview"/>).
    /// </summary>
    public async Task<CaseReviewResult?> ReviewWithLanguageModelAsync(string patientId, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var languageModel = services.GetService<CaseReviewLanguageModel>()?.Orchestrator;
        if (languageModel is null) return await ReviewAsync(patientId, progress, cancellationToken);
        var record = await LoadAsync(patientId, cancellationToken);
        if (record is null) return null;
        var reviewer = Reviewer();
        var tools = reviewer.ToolsFor(record);
        var review = Run(() => reviewer.Review(tools, progress, cancellationToken));
        return await languageModel.NarrateAsync(review, tools, progress, cancellationToken);
    }

    private async Task<PatientRecord?> LoadAsync(string patientId, CancellationToken cancellationToken)
    {
        var patient = await store.GetPatientAsync(patientId, cancellationToken);
        return patient is null ? null : PatientRecord.Build(patient, await store.GetEventsAsync(patientId, cancellationToken));
    }

    /// <summary>Reviews a record that is not (necessarily) stored, e.g. one read by the `review` command.</summary>
    public CaseReviewResult Review(PatientRecord record, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var reviewer = Reviewer();
        return Run(() => reviewer.Review(record, progress: progress, cancellationToken: cancellationToken));
    }

    private CaseReviewer Reviewer()
    {
        var availability = Availability;
        var reviewer = _reviewer.Value.Reviewer;
        if (!availability.Available || reviewer is null) throw new CaseReviewUnavailableException(availability.Reason ?? "unavailable");
        return reviewer;
    }

    private static CaseReviewResult Run(Func<CaseReviewResult> review)
    {
        try
        {
            return review();
        }
        catch (ModelUnavailableException e)
        {
            throw new CaseReviewUnavailableException(e.Message, e);
        }
    }

    private static (CaseReviewer?, string?) Create(IServiceProvider services, ILogger logger)
    {
        try
        {
            return (new CaseReviewer(services.GetRequiredService<KnowledgeBase>(), services.GetRequiredService<IFindingExtractor>(),
                services.GetRequiredService<DifferentialEngine>()), null);
        }
        catch (Exception e) when (e is KnowledgeBaseException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            LogUnavailable(logger, e.Message);
            return (null, "The case review could not start: " + e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Case review unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}

public sealed class CaseReviewUnavailableException : Exception
{
    public CaseReviewUnavailableException() { }
    public CaseReviewUnavailableException(string message) : base(message) { }
    public CaseReviewUnavailableException(string message, Exception inner) : base(message, inner) { }
}
