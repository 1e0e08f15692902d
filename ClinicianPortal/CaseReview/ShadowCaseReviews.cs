using System.Collections.Concurrent;
using ClinicianPortal.Audit;
using ClinicianPortal.ModelLifecycle;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.CaseReview;

/// <summary>
/// Shadow models run silently beside the approved one: after a clinician's review has been audited and returned, each shadow
/// and pilot version of the differential model reviews the same record on the same inputs (as-of time and care setting), and
/// its review is appended to the audit trail under its own model stamp, where the validation queue samples it. Nobody sees it
/// on the patient page. A failure is logged (model and error type, never the patient or the message) and touches nothing else.
/// </summary>
public sealed partial class ShadowCaseReviews(CaseReviewService reviews, ModelGovernance lifecycle, AuditStore audit, ILogger<ShadowCaseReviews> logger)
    : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Task, byte> running = new();
    private readonly CancellationTokenSource stopping = new();

    /// <summary>Starts the shadow reviews of <paramref name="served"/> (a review of <paramref name="record"/>) in the background; returns at once.</summary>
    public void Start(CaseReviewResult served, PatientRecord record, string userName)
    {
        ArgumentNullException.ThrowIfNull(served);
        var servedVersion = served.Provenance.Models.FirstOrDefault(m => m.Id == DifferentialSpec.ModelId)?.Version;
        var versions = lifecycle.SilentVersions(DifferentialSpec.ModelId).Where(v => v != servedVersion && reviews.CanRun(v)).ToList();
        if (versions.Count == 0 || stopping.IsCancellationRequested) return;
        var task = Task.Run(() => RunAsync(versions, served, record, userName, stopping.Token));
        running[task] = 0;
        _ = task.ContinueWith(t => running.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Completes when the shadow reviews started so far have finished (tests, shutdown).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(running.Keys);

    private async Task RunAsync(IReadOnlyList<string> versions, CaseReviewResult served, PatientRecord record, string userName, CancellationToken cancellationToken)
    {
        foreach (var version in versions)
        {
            try
            {
                var review = reviews.ReviewWith(version, record, served.AsOf, served.Setting, cancellationToken);
                await audit.AppendAsync(AuditedCaseReview.EntryFor(review, userName), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a shadow failure must never reach the clinician's review; it is logged without PHI
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(DifferentialSpec.ModelId, version, e.GetType().Name);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        try
        {
            await WhenIdleAsync();
        }
        catch (OperationCanceledException)
        {
        }
        stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shadow review by {ModelId} {Version} failed ({ErrorType}); the served review is unaffected")]
    private partial void LogFailed(string modelId, string version, string errorType);
}
