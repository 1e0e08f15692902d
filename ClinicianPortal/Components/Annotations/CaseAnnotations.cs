using System.Security.Claims;
using ClinicianPortal.Annotations;
using ClinicianPortal.Shared.Governance.Annotations;
using Microsoft.JSInterop;

namespace ClinicianPortal.Components.Annotations;

/// <summary>One statement of the review on screen that can be annotated, and its text as shown.</summary>
public sealed record AnnotationSpot(AnnotationTarget Target, string Text);

/// <summary>A thread: its first annotation and the replies, oldest first.</summary>
public sealed record AnnotationThread(Annotation Root, IReadOnlyList<Annotation> Replies);

/// <summary>
/// The annotations of one case-review panel: the patient's threads by target (from every review of this patient, as
/// target keys are stable), the review now shown (new threads point at its audit record), the signed-in user, and the
/// drafts this browser kept (wwwroot/js/annotation-drafts.js). A draft is cleared only after its annotation is stored.
/// </summary>
public sealed class CaseAnnotations(AnnotationService annotations, IJSRuntime js)
{
    private IJSObjectReference? module;
    private ILookup<string, AnnotationThread> threads = Array.Empty<AnnotationThread>().ToLookup(t => t.Root.Target);
    private Dictionary<string, Dictionary<string, string>> drafts = [];

    public ClaimsPrincipal User { get; private set; } = new();
    public string PatientId { get; private set; } = "";
    /// <summary>The audit record of the review shown: new threads annotate it.</summary>
    public long AuditRecordId { get; private set; }
    public bool Ready { get; private set; }
    public string? Error { get; private set; }

    /// <summary>Draft keys of this user on this patient start with this.</summary>
    public string DraftScope => $"{User.Identity?.Name}|{PatientId}|";
    public string DraftKey(string target) => DraftScope + target;
    public string ReplyDraftKey(long threadId) => DraftScope + "reply:" + threadId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public bool CanResolve(Annotation thread) => AnnotationService.CanResolve(User, thread);

    /// <summary>
    /// Before any review is shown: the patient's open flags (disagree, missing, unsafe, as /annotations lists them), and the
    /// drafts this browser holds for the user on the patient.
    /// </summary>
    public async Task<(int OpenThreads, int Drafts)> PeekAsync(ClaimsPrincipal user, string patientId, CancellationToken cancellationToken = default)
    {
        (User, PatientId) = (user, patientId);
        var open = await annotations.ThreadsAsync(new AnnotationQuery(
            [.. Enum.GetValues<AnnotationVerdict>().Where(AnnotationVerdicts.NeedsFollowUp)], AnnotationStatus.Open, PatientId: patientId, Take: 1), cancellationToken);
        return (open.Total, (await ListDraftsAsync()).Count);
    }

    public async Task LoadAsync(ClaimsPrincipal user, string patientId, long auditRecordId, CancellationToken cancellationToken = default)
    {
        (User, PatientId, AuditRecordId) = (user, patientId, auditRecordId);
        try
        {
            await ReloadAsync(cancellationToken);
            drafts = await ListDraftsAsync();
            Ready = true;
            Error = null;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            Ready = false;
            Error = "Annotations could not be loaded; the review is shown without them.";
        }
    }

    public IReadOnlyList<AnnotationThread> ThreadsFor(string target) => [.. threads[target]];

    /// <summary>The draft kept for <paramref name="key"/> (removed from the list: restored once).</summary>
    public IReadOnlyDictionary<string, string>? TakeDraft(string key) => drafts.Remove(key, out var draft) ? draft : null;

    public bool HasDraft(string key) => drafts.ContainsKey(key);

    public async Task StartThreadAsync(AnnotationSpot spot, AnnotationVerdict? verdict, string? comment, string? correction)
    {
        await annotations.StartThreadAsync(User, new ThreadRequest(AuditRecordId, spot.Target.Key, spot.Text, verdict, comment, correction));
        await ClearDraftAsync(DraftKey(spot.Target.Key));
        await ReloadAsync();
    }

    public async Task ReplyAsync(Annotation thread, string? comment)
    {
        await annotations.ReplyAsync(User, thread.Id, thread.AuditRecordId, comment);
        await ClearDraftAsync(ReplyDraftKey(thread.Id));
        await ReloadAsync();
    }

    public async Task ResolveAsync(Annotation thread)
    {
        await annotations.ResolveAsync(User, thread.Id);
        await ReloadAsync();
    }

    public async Task ReopenAsync(Annotation thread)
    {
        await annotations.ReopenAsync(User, thread.Id);
        await ReloadAsync();
    }

    public async Task ClearDraftAsync(string key)
    {
        drafts.Remove(key);
        try
        {
            module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/annotation-drafts.js");
            await module.InvokeVoidAsync("clear", key);
        }
        catch (JSException)
        {
            // The annotation is stored; a leftover draft is offered again and can be discarded.
        }
    }

    private async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        var all = await annotations.ForPatientAsync(PatientId, cancellationToken);
        var replies = all.Where(a => a.ParentId is not null).ToLookup(a => a.ParentId!.Value);
        threads = all.Where(a => a.ParentId is null).Select(a => new AnnotationThread(a, [.. replies[a.Id]])).ToLookup(t => t.Root.Target);
    }

    private async Task<Dictionary<string, Dictionary<string, string>>> ListDraftsAsync()
    {
        try
        {
            module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/annotation-drafts.js");
            return await module.InvokeAsync<Dictionary<string, Dictionary<string, string>>>("list", DraftScope);
        }
        catch (JSException)
        {
            return []; // storage unavailable: annotating still works, drafts are not kept
        }
    }
}
