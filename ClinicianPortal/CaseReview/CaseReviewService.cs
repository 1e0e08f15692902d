using ClinicianPortal.Components.Patients;
using ClinicianPortal.ModelLifecycle;
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
/// Reviews a stored patient: loads the de-identified record and runs the deterministic orchestrator with the approved
/// version of the differential model (ModelLifecycle). The engines are created (and their models installed) on
/// <see cref="Start"/> or the first review.
/// </summary>
public sealed partial class CaseReviewService(PatientRecordLoader records, IServiceProvider services, InferenceHost inference, ModelGovernance lifecycle,
    ILogger<CaseReviewService> logger)
{
    private readonly Lazy<(IReadOnlyDictionary<string, CaseReviewer>? Reviewers, string? Error)> _reviewers = new(() => Create(services, logger));

    /// <summary>Creates the engines and installs their models (idempotent).</summary>
    public void Start() => _ = _reviewers.Value;

    public CaseReviewAvailability Availability => Check(out _);

    /// <summary>The version that serves clinicians now (the approved one), or null when reviews are unavailable.</summary>
    public string? ServedVersion => Check(out var reviewer) is { Available: true } ? reviewer!.Version : null;

    /// <summary>Versions this build can run (the curated model and the configured candidates).</summary>
    public bool CanRun(string version) => _reviewers.Value.Reviewers?.ContainsKey(version) == true && IsServed(version);

    /// <summary>
    /// The stored patient's record (null when there is none), from the loader the patient page uses: a review right after the
    /// page opened reuses its load.
    /// </summary>
    public Task<PatientRecord?> LoadAsync(string patientId, CancellationToken cancellationToken = default) => records.LoadAsync(patientId, cancellationToken);

    /// <returns>The review, or null when no such patient is stored.</returns>
    /// <exception cref="CaseReviewUnavailableException">The differential cannot run (see <see cref="Availability"/>).</exception>
    public async Task<CaseReviewResult?> ReviewAsync(string patientId, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var record = await LoadAsync(patientId, cancellationToken);
        return record is null ? null : Review(record, progress, cancellationToken);
    }

    /// <summary>
    /// As <see cref="Review"/>, then, when a language model is configured (<see cref="CaseReviewLanguageModel"/>), lets it
    /// rewrite the summary as prose: shown only if every sentence is grounded, otherwise the rejection is in the provenance.
    /// For reviews that are audited before anyone reads them (<see cref="AuditedCaseReview"/>).
    /// </summary>
    public async Task<CaseReviewResult> ReviewWithLanguageModelAsync(PatientRecord record, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var languageModel = services.GetService<CaseReviewLanguageModel>()?.Orchestrator;
        if (languageModel is null) return Review(record, progress, cancellationToken);
        var reviewer = ServedReviewer();
        var tools = reviewer.ToolsFor(record);
        var review = Run(() => reviewer.Review(tools, progress, cancellationToken));
        return await languageModel.NarrateAsync(review, tools, progress, cancellationToken);
    }

    /// <summary>Reviews a record that is not (necessarily) stored, e.g. one read by the `review` command.</summary>
    public CaseReviewResult Review(PatientRecord record, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var reviewer = ServedReviewer();
        return Run(() => reviewer.Review(record, null, null, progress, cancellationToken));
    }

    private CaseReviewer ServedReviewer()
    {
        var availability = Check(out var served);
        if (!availability.Available || served is null) throw new CaseReviewUnavailableException(availability.Reason ?? "unavailable");
        return served.Reviewer;
    }

    /// <summary>
    /// Reviews <paramref name="record"/> with exactly <paramref name="version"/> on the same inputs as an earlier review (the same
    /// record, as-of time and care setting): how shadow versions run beside the approved one.
    /// </summary>
    public CaseReviewResult ReviewWith(string version, PatientRecord record, DateTimeOffset asOf, CareSetting setting, CancellationToken cancellationToken = default)
    {
        if (_reviewers.Value.Reviewers?.GetValueOrDefault(version) is not { } reviewer)
            throw new CaseReviewUnavailableException($"Version {version} of the differential model is not part of this build.");
        return Run(() => reviewer.Review(record, asOf, setting, null, cancellationToken));
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

    private sealed record Served(string Version, CaseReviewer Reviewer);

    private CaseReviewAvailability Check(out Served? served)
    {
        served = null;
        var (reviewers, error) = _reviewers.Value;
        if (reviewers is null) return new(false, error);
        if (inference.Runtime is null) return new(false, "Inference is unavailable: " + inference.RuntimeError);
        if (lifecycle.Error is { } lifecycleError) return new(false, lifecycleError);
        var approved = lifecycle.ApprovedVersion(DifferentialSpec.ModelId);
        if (approved is null)
            return new(false, "No version of the differential model is approved: an administrator approves one on the Models page.");
        if (!reviewers.TryGetValue(approved, out var reviewer))
            return new(false, $"The approved differential model {approved} is not part of this build (its knowledge base changed): an administrator approves a current version on the Models page.");
        var status = inference.Models.Status(DifferentialSpec.ModelId, approved);
        if (status?.State != ModelState.Available)
            return new(false, $"The differential model is not served: {status?.Error ?? "not installed"}");
        served = new(approved, reviewer);
        return new(true, null);
    }

    private bool IsServed(string version) => inference.Models.Status(DifferentialSpec.ModelId, version)?.State == ModelState.Available;

    private static (IReadOnlyDictionary<string, CaseReviewer>?, string?) Create(IServiceProvider services, ILogger logger)
    {
        try
        {
            var kb = services.GetRequiredService<KnowledgeBase>();
            var extractor = services.GetRequiredService<IFindingExtractor>();
            var models = services.GetRequiredService<DifferentialModels>();
            return (models.All.ToDictionary(e => e.Spec.Version, e => new CaseReviewer(kb, extractor, e), StringComparer.Ordinal), null);
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
