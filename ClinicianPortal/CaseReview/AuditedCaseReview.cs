using ClinicianPortal.Audit;
using ClinicianPortal.Shared.Governance.Audit;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Shared.Reasoning.Orchestration;

namespace ClinicianPortal.CaseReview;

/// <summary>
/// A case review for a person to read: reviews the stored patient with the approved model (with the language model's
/// prose when one is configured and its prose is grounded) and records the review in the audit trail before returning
/// it; the language model's prose, accepted or rejected, is part of the recorded review. If the record cannot be
/// written the review fails: no AI output is shown unaudited. Then the shadow models review the same inputs in the
/// background (<see cref="ShadowCaseReviews"/>), unseen.
/// </summary>
public sealed class AuditedCaseReview(CaseReviewService reviews, AuditStore audit, ShadowCaseReviews shadows)
{
    public CaseReviewAvailability Availability => reviews.Availability;

    /// <returns>The review and its audit record, or null when no such patient is stored.</returns>
    /// <exception cref="CaseReviewUnavailableException">The differential cannot run.</exception>
    /// <exception cref="CaseReviewAuditException">The review could not be recorded (it is then not returned).</exception>
    public async Task<AuditedReview?> ReviewAsync(string patientId, string userName, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        var patient = await reviews.LoadAsync(patientId, cancellationToken);
        if (patient is null) return null;
        var review = await reviews.ReviewWithLanguageModelAsync(patient, progress, cancellationToken);
        progress?.Report("audit");
        try
        {
            var record = await audit.AppendAsync(EntryFor(review, userName), cancellationToken);
            shadows.Start(review, patient, userName);
            return new AuditedReview(review, record);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The message names no patient: it may reach a log.
            throw new CaseReviewAuditException("The review could not be recorded in the audit trail, so it is not shown.", e);
        }
    }

    /// <summary>
    /// The audit entry of a review: the differential model's stamp, the review's own inputs hash (recomputable from
    /// the record) and the review's JSON as the output.
    /// </summary>
    public static AuditEntry EntryFor(CaseReviewResult review, string userName)
    {
        ArgumentNullException.ThrowIfNull(review);
        var model = review.Provenance.Models.FirstOrDefault(m => m.Id == DifferentialSpec.ModelId) ?? review.Provenance.Models.FirstOrDefault()
            ?? throw new InvalidOperationException("A case review without a model has nothing to stamp.");
        return new AuditEntry(userName, review.PatientId, AuditKind.CaseReview, new ModelStamp(model.Id, model.Version, model.Sha256),
            review.Provenance.InputsSha256, CanonicalJson.Serialize(CaseReviewJson.Serialize(review)));
    }
}

public sealed record AuditedReview(CaseReviewResult Review, AuditRecord Audit);

public sealed class CaseReviewAuditException : Exception
{
    public CaseReviewAuditException() { }
    public CaseReviewAuditException(string message) : base(message) { }
    public CaseReviewAuditException(string message, Exception inner) : base(message, inner) { }
}
