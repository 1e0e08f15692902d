using ClinicianPortal.CaseReview;
using ClinicianPortal.Shared.Reasoning.Orchestration;

namespace ClinicianPortal.Components.CaseReview;

/// <summary>
/// The case-review panel's state for one circuit: available or why not, the steps run so far, then the audited
/// review or the reason it failed. The review only ever comes from <see cref="AuditedCaseReview"/>.
/// </summary>
public sealed class CaseReviewPanelModel(AuditedCaseReview reviews)
{
    private readonly List<string> steps = [];

    public CaseReviewAvailability Availability => reviews.Availability;
    public bool Running { get; private set; }
    public IReadOnlyList<string> Steps => steps;
    public CaseReviewResult? Review { get; private set; }
    public long? AuditId { get; private set; }
    public string? Error { get; private set; }

    /// <summary>Runs an audited review; <paramref name="changed"/> is called (on the caller's context) after every step.</summary>
    public async Task RunAsync(string patientId, string userName, Func<Task> changed, CancellationToken cancellationToken = default)
    {
        if (Running) return;
        Running = true;
        steps.Clear();
        Review = null;
        AuditId = null;
        Error = null;
        await changed();
        // Progress<T> posts back to the renderer's context; the review itself runs off it so the steps can show.
        var progress = new Progress<string>(step =>
        {
            if (steps.Count == 0 || steps[^1] != step) steps.Add(step);
            _ = changed();
        });
        try
        {
            var audited = await Task.Run(() => reviews.ReviewAsync(patientId, userName, progress, cancellationToken), cancellationToken);
            if (audited is null) Error = "This patient is no longer stored.";
            else (Review, AuditId) = (audited.Review, audited.Audit.Id);
        }
        catch (CaseReviewUnavailableException e)
        {
            Error = "The case review is unavailable: " + e.Message;
        }
        catch (CaseReviewAuditException e)
        {
            Error = e.Message;
        }
        finally
        {
            Running = false;
        }
        await changed();
    }
}
