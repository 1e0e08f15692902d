using System.Security.Claims;
using ClinicianPortal.Audit;
using ClinicianPortal.Identity;
using ClinicianPortal.Shared.Governance.Annotations;

namespace ClinicianPortal.Annotations;

/// <summary>A new thread on one statement of one audited output.</summary>
/// <param name="TargetText">The statement as the annotator saw it (kept for lists; shortened if very long).</param>
public sealed record ThreadRequest(long AuditRecordId, string Target, string TargetText, AnnotationVerdict? Verdict, string? Comment, string? Correction);

/// <summary>
/// The rules of annotating, in one place: who may annotate (physicians and the care team), what a thread needs (a verdict;
/// a comment or correction when it asks for follow-up), that replies join an existing thread of the same output, and who
/// may resolve a thread (physicians, or whoever started it). Errors are <see cref="AnnotationException"/>s whose
/// messages name no patient and repeat nothing typed, so they are safe to show and to log.
/// </summary>
public sealed class AnnotationService(AnnotationStore store, AuditStore audit, TimeProvider clock)
{
    public const int MaxCommentLength = 4000;
    public const int MaxCorrectionLength = 2000;
    public const int MaxTargetTextLength = 1000;

    public static bool CanAnnotate(ClaimsPrincipal user) => RoleOf(user) is not null;

    /// <summary>Physicians resolve any thread; others only threads they started.</summary>
    public static bool CanResolve(ClaimsPrincipal user, Annotation thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        var role = RoleOf(user);
        return role == Roles.Physician || (role is not null && thread.Author == user.Identity?.Name);
    }

    public async Task<Annotation> StartThreadAsync(ClaimsPrincipal user, ThreadRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (author, role) = Annotator(user);
        var target = AnnotationTarget.TryParse(request.Target, out var targetError) ?? throw new AnnotationException(targetError!);
        if (request.Verdict is not { } verdict || !Enum.IsDefined(verdict))
            throw new AnnotationException("Choose a verdict (agree, disagree, missing, unsafe or helpful) to start a thread.");
        var comment = Limit(request.Comment, MaxCommentLength, "The comment");
        var correction = Limit(request.Correction, MaxCorrectionLength, "The correction", optional: true);
        if (AnnotationVerdicts.NeedsFollowUp(verdict) && comment.Length == 0 && correction is null)
            throw new AnnotationException($"Say what is {Wrong(verdict)}: a '{AnnotationVerdicts.Name(verdict)}' verdict needs a comment or a correction.");
        var output = await audit.FindAsync(request.AuditRecordId, cancellationToken)
            ?? throw new AnnotationException($"There is no AI output #{request.AuditRecordId} in the audit trail to annotate.");
        return await store.InsertAsync(new NewAnnotation(output.Id, output.PatientPseudonym, target.Key, Shorten(request.TargetText), null,
            author, role, verdict, comment, correction, AnnotationSource.Portal, clock.GetUtcNow()), cancellationToken);
    }

    /// <param name="auditRecordId">The output the reply is about: it must be the thread's.</param>
    public async Task<Annotation> ReplyAsync(ClaimsPrincipal user, long threadId, long auditRecordId, string? comment, CancellationToken cancellationToken = default)
    {
        var (author, role) = Annotator(user);
        var text = Limit(comment, MaxCommentLength, "The reply");
        if (text.Length == 0) throw new AnnotationException("A reply needs a comment.");
        var thread = await ThreadAsync(threadId, cancellationToken);
        if (thread.AuditRecordId != auditRecordId)
            throw new AnnotationException($"Thread #{threadId} is about AI output #{thread.AuditRecordId}, not #{auditRecordId}: a reply must join a thread of the same output.");
        return await store.InsertAsync(new NewAnnotation(thread.AuditRecordId, thread.PatientId, thread.Target, thread.TargetText, thread.Id,
            author, role, null, text, null, AnnotationSource.Portal, clock.GetUtcNow()), cancellationToken);
    }

    public Task<Annotation> ResolveAsync(ClaimsPrincipal user, long threadId, CancellationToken cancellationToken = default) =>
        SetStatusAsync(user, threadId, AnnotationStatus.Resolved, cancellationToken);

    public Task<Annotation> ReopenAsync(ClaimsPrincipal user, long threadId, CancellationToken cancellationToken = default) =>
        SetStatusAsync(user, threadId, AnnotationStatus.Open, cancellationToken);

    public Task<IReadOnlyList<Annotation>> ForPatientAsync(string patientId, CancellationToken cancellationToken = default) =>
        store.ForPatientAsync(patientId, cancellationToken);

    public Task<Data.Page<AnnotationThreadSummary>> ThreadsAsync(AnnotationQuery query, CancellationToken cancellationToken = default) =>
        store.ThreadsAsync(query, cancellationToken);

    /// <summary>
    /// A CDS Hooks outcome as an annotation of the card's differential entry: accepted is agree; overridden is disagree,
    /// with the client's coded reason as the comment (free text from the client is never kept: it may hold PHI).
    /// </summary>
    public static NewAnnotation FromCdsFeedback(CdsCardTarget card, string outcome, string? reasonDisplay, string? reasonCode, string? reasonSystem,
        string? keyId, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(card);
        var accepted = outcome == "accepted";
        var reason = "";
        if (!accepted)
        {
            var named = reasonDisplay ?? reasonCode;
            reason = "Overridden in the EHR" + (named is null ? " (no reason given)." : $": {named}")
                + (reasonCode is null ? "" : $" ({(reasonSystem is null ? "" : reasonSystem + "|")}{reasonCode})");
        }
        return new NewAnnotation(card.AuditRecordId, card.PatientId, card.Target, card.TargetText, null, Api.CdsHooks.ClientTokens.CdsCaller.Actor(keyId), "cds-client",
            accepted ? AnnotationVerdict.Agree : AnnotationVerdict.Disagree, reason.Length <= MaxCommentLength ? reason : reason[..MaxCommentLength], null, AnnotationSource.CdsHooks, at);
    }

    private async Task<Annotation> SetStatusAsync(ClaimsPrincipal user, long threadId, string status, CancellationToken cancellationToken)
    {
        Annotator(user);
        var thread = await ThreadAsync(threadId, cancellationToken);
        if (!CanResolve(user, thread))
            throw new AnnotationForbiddenException("Only a physician or the thread's author may resolve or reopen it.");
        if (thread.Status == status)
            throw new AnnotationException($"Thread #{threadId} is already {status}.");
        var resolved = status == AnnotationStatus.Resolved;
        if (!await store.SetStatusAsync(threadId, status, resolved ? user.Identity!.Name : null, resolved ? clock.GetUtcNow() : null, cancellationToken))
            throw new AnnotationException($"Thread #{threadId} was changed by someone else meanwhile; reload to see it.");
        return (await store.GetAsync(threadId, cancellationToken))!;
    }

    private async Task<Annotation> ThreadAsync(long threadId, CancellationToken cancellationToken)
    {
        var thread = await store.GetAsync(threadId, cancellationToken) ?? throw new AnnotationException($"There is no annotation thread #{threadId}.");
        if (thread.ParentId is { } root) throw new AnnotationException($"#{threadId} is a reply; use its thread #{root}.");
        return thread;
    }

    private static (string Author, string Role) Annotator(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var role = RoleOf(user) ?? throw new AnnotationForbiddenException("Only physicians and the care team annotate AI outputs.");
        return (user.Identity!.Name!, role);
    }

    private static string? RoleOf(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name.Length: > 0 }
            ? Policies.RolesByPolicy[Policies.Annotate].FirstOrDefault(user.IsInRole)
            : null;

    private static string Wrong(AnnotationVerdict verdict) => verdict switch
    {
        AnnotationVerdict.Missing => "missing",
        AnnotationVerdict.Unsafe => "unsafe",
        _ => "wrong",
    };

    private static string Limit(string? text, int max, string what)
    {
        var trimmed = text?.Trim() ?? "";
        return trimmed.Length <= max ? trimmed : throw new AnnotationException($"{what} is {trimmed.Length} characters long; the limit is {max}.");
    }

    private static string? Limit(string? text, int max, string what, bool optional) => optional && string.IsNullOrWhiteSpace(text) ? null : Limit(text, max, what);

    private static string Shorten(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        return trimmed.Length <= MaxTargetTextLength ? trimmed : trimmed[..(MaxTargetTextLength - 1)] + "…";
    }
}

/// <summary>An annotation that breaks a rule; the message says which and is safe to show.</summary>
public class AnnotationException : Exception
{
    public AnnotationException() { }
    public AnnotationException(string message) : base(message) { }
    public AnnotationException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The user's role may not do this.</summary>
public sealed class AnnotationForbiddenException : AnnotationException
{
    public AnnotationForbiddenException() { }
    public AnnotationForbiddenException(string message) : base(message) { }
    public AnnotationForbiddenException(string message, Exception inner) : base(message, inner) { }
}
