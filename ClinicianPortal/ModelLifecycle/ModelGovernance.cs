using System.Data.Common;
using ClinicianPortal.Audit;
using ClinicianPortal.Shared.Governance.Audit;
using ClinicianPortal.Shared.Governance.Lifecycle;
using ClinicianPortal.Shared.Governance.ModelCards;
using ClinicianPortal.Shared.Inference.Models;
using Microsoft.Extensions.Options;

namespace ClinicianPortal.ModelLifecycle;

/// <summary>The outcome of a requested status change: done, or refused with the reasons (each with its numbers).</summary>
public sealed record StatusChangeResult(bool Changed, LifecycleStatus From, LifecycleStatus To, ValidationEvidence Evidence, IReadOnlyList<string> Refusals)
{
    public override string ToString() => Changed ? $"{LifecycleTransitions.Name(From)} → {LifecycleTransitions.Name(To)}" : "Refused: " + string.Join("; ", Refusals);
}

/// <summary>
/// The lifecycle of model versions: registers the versions the registry serves (the first version of a model id ever
/// registered starts approved so that a fresh installation works; every later one starts in shadow), answers which version
/// serves clinicians (the approved one) and which run silently (shadow and pilot), and moves versions between statuses
/// on the validation thresholds, appending every change to the audit trail. Keeps a snapshot of the table in memory for
/// the per-review questions; this process's changes refresh it (another process's changes are seen after its next refresh).
/// </summary>
public sealed partial class ModelGovernance(ModelVersionStore store, AuditStore audit, IOptions<ModelGovernanceOptions> options, TimeProvider clock,
    ILogger<ModelGovernance> logger)
{
    /// <summary>Who registers versions found at start-up.</summary>
    public const string System = "system";

    private readonly SemaphoreSlim changeGate = new(1, 1);
    private IReadOnlyList<ModelVersion>? snapshot;

    public ModelGovernanceOptions Options => options.Value;

    /// <summary>Null until the table has been read (start-up), or why it could not be.</summary>
    public string? Error { get; private set; }

    /// <summary>The approved version of <paramref name="modelId"/>, or null (none approved, or the table not read yet).</summary>
    public string? ApprovedVersion(string modelId) =>
        snapshot?.FirstOrDefault(v => v.ModelId == modelId && v.Status == LifecycleStatus.Approved)?.Version;

    /// <summary>The versions that run silently beside the approved one: shadow and pilot.</summary>
    public IReadOnlyList<string> SilentVersions(string modelId) =>
        [.. (snapshot ?? []).Where(v => v.ModelId == modelId && v.Status is LifecycleStatus.Shadow or LifecycleStatus.Pilot).Select(v => v.Version)];

    /// <summary>The lifecycle status of a version (for dashboards), or null when not registered.</summary>
    public LifecycleStatus? StatusOf(string modelId, string version) =>
        snapshot?.FirstOrDefault(v => v.ModelId == modelId && v.Version == version)?.Status;

    public Task<IReadOnlyList<ModelVersion>> ListAsync(CancellationToken cancellationToken = default) => store.ListAsync(cancellationToken);

    public Task<ModelVersion?> GetAsync(string modelId, string version, CancellationToken cancellationToken = default) =>
        store.GetAsync(modelId, version, cancellationToken);

    public Task<ValidationEvidence> EvidenceAsync(string modelId, string version, CancellationToken cancellationToken = default) =>
        store.EvidenceAsync(modelId, version, cancellationToken);

    /// <summary>
    /// Registers every version <paramref name="served"/> lists (in that order: the first of a new model id becomes approved),
    /// with the card <paramref name="cardFor"/> writes for it, then reads the table.
    /// </summary>
    public async Task RegisterAsync(IEnumerable<ModelStatus> served, Func<ModelStatus, DateOnly, ModelCard> cardFor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(cardFor);
        try
        {
            var now = clock.GetUtcNow();
            foreach (var model in served.Where(m => m.State == ModelState.Available && m.Version is not null && m.Sha256 is not null))
            {
                var card = cardFor(model, DateOnly.FromDateTime(now.UtcDateTime));
                var (version, added) = await store.RegisterAsync(model.Id, model.Version!, model.Sha256!, model.Task ?? "", card.ToJson(), System, now, cancellationToken);
                if (added) LogRegistered(model.Id, model.Version!, LifecycleTransitions.Name(version.Status));
            }
            await RefreshAsync(cancellationToken);
        }
        catch (DbException e)
        {
            Error = "The model lifecycle could not be read: " + e.Message;
            LogUnavailable(e.Message);
        }
    }

    /// <summary>
    /// After an upgrade whose knowledge base changed, the approved version is no longer one this build can run, and its
    /// successor cannot earn its ratings (shadow reviews run only beside an approved one). Then the release's curated
    /// version is approved without thresholds, audited by <see cref="System"/> with the reason, and the old version retired,
    /// unless <see cref="ModelGovernanceOptions.ApproveReleaseOnUpgrade"/> is off or an administrator retired the release's version.
    /// </summary>
    /// <returns>Whether the release's version was approved.</returns>
    public async Task<bool> AdoptReleaseAsync(string modelId, string releaseVersion, Func<string, bool> canRun, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(canRun);
        if (!Options.ApproveReleaseOnUpgrade || Error is not null) return false;
        await changeGate.WaitAsync(cancellationToken);
        try
        {
            var versions = await store.ListAsync(cancellationToken);
            var approved = versions.Where(v => v.ModelId == modelId && v.Status == LifecycleStatus.Approved).ToList();
            var release = versions.FirstOrDefault(v => v.ModelId == modelId && v.Version == releaseVersion);
            if (approved.Count == 0 || approved.Any(v => canRun(v.Version)) || release is null
                || release.Status is LifecycleStatus.Approved or LifecycleStatus.Retired || !canRun(releaseVersion)) return false;
            var reason = $"release upgrade: approved version {string.Join(", ", approved.Select(v => v.Version))} is not part of this release";
            if (!await ChangeAsync(release, LifecycleStatus.Approved, System, await store.EvidenceAsync(modelId, releaseVersion, cancellationToken), null, reason, cancellationToken))
                return false;
            foreach (var old in approved)
                await ChangeAsync(old, LifecycleStatus.Retired, System, await store.EvidenceAsync(old.ModelId, old.Version, cancellationToken), null,
                    $"release upgrade: replaced by {releaseVersion}", cancellationToken);
            await RefreshAsync(cancellationToken);
            return true;
        }
        finally
        {
            changeGate.Release();
        }
    }

    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        snapshot = await store.ListAsync(cancellationToken);
        Error = null;
    }

    /// <summary>
    /// Moves a version to <paramref name="to"/> if the transition is allowed and, for pilot and approved, the version's ratings
    /// meet the configured thresholds. Approving retires the version approved before (one approved version per model id).
    /// Every change is appended to the audit trail with the evidence; a refusal changes nothing and says why, with the numbers.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such version is registered.</exception>
    public async Task<StatusChangeResult> ChangeStatusAsync(string modelId, string version, LifecycleStatus to, string userName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        await changeGate.WaitAsync(cancellationToken);
        try
        {
            var current = await store.GetAsync(modelId, version, cancellationToken)
                ?? throw new KeyNotFoundException($"Model {modelId} version {version} is not registered.");
            var evidence = await store.EvidenceAsync(modelId, version, cancellationToken);
            if (!LifecycleTransitions.Allowed(current.Status, to))
                return new(false, current.Status, to, evidence,
                    [$"a {LifecycleTransitions.Name(current.Status)} version cannot become {LifecycleTransitions.Name(to)} (shadow → pilot → approved; retire from any)"]);
            PromotionThresholds? thresholds = to is LifecycleStatus.Pilot or LifecycleStatus.Approved ? Options.ThresholdsFor(to) : null;
            IReadOnlyList<string> shortfalls = thresholds is null ? [] : evidence.Shortfalls(thresholds);
            if (shortfalls.Count > 0) return new(false, current.Status, to, evidence, shortfalls);

            List<ModelVersion> replaced = to == LifecycleStatus.Approved
                ? (await store.ListAsync(cancellationToken)).Where(v => v.ModelId == modelId && v.Version != version && v.Status == LifecycleStatus.Approved).ToList()
                : [];
            if (!await ChangeAsync(current, to, userName, evidence, thresholds, reason: null, cancellationToken))
                return new(false, current.Status, to, evidence, ["the status was changed by someone else meanwhile: reload and try again"]);
            foreach (var old in replaced)
                await ChangeAsync(old, LifecycleStatus.Retired, userName, await store.EvidenceAsync(old.ModelId, old.Version, cancellationToken), null,
                    $"replaced by approved version {version}", cancellationToken);
            await RefreshAsync(cancellationToken);
            return new(true, current.Status, to, evidence, []);
        }
        finally
        {
            changeGate.Release();
        }
    }

    /// <summary>Changes the row, then records the change; if it cannot be recorded, the row is put back and the error propagates.</summary>
    private async Task<bool> ChangeAsync(ModelVersion version, LifecycleStatus to, string userName, ValidationEvidence evidence, PromotionThresholds? thresholds,
        string? reason, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow();
        if (!await store.TryChangeStatusAsync(version.ModelId, version.Version, version.Status, to, userName, at, cancellationToken)) return false;
        try
        {
            await audit.AppendAsync(EntryFor(version, to, userName, evidence, thresholds, reason), cancellationToken);
        }
        catch
        {
            await store.TryChangeStatusAsync(version.ModelId, version.Version, to, version.Status, version.StatusChangedBy, version.StatusChangedAt, CancellationToken.None);
            throw;
        }
        LogChanged(version.ModelId, version.Version, LifecycleTransitions.Name(version.Status), LifecycleTransitions.Name(to));
        return true;
    }

    /// <summary>The audit record of a status change: stamped with the version changed; the output holds from, to, who and the evidence.</summary>
    public static AuditEntry EntryFor(ModelVersion version, LifecycleStatus to, string userName, ValidationEvidence evidence, PromotionThresholds? thresholds, string? reason)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(evidence);
        var change = new { modelId = version.ModelId, version = version.Version, from = LifecycleTransitions.Name(version.Status), to = LifecycleTransitions.Name(to) };
        var output = new
        {
            change.from,
            change.to,
            by = userName,
            reason,
            evidence = new
            {
                evidence.SampledOutputs,
                evidence.RatedOutputs,
                evidence.Ratings,
                meanScores = evidence.MeanScores.ToDictionary(m => m.Key, m => Math.Round(m.Value, 4)),
                evidence.HarmFlaggedOutputs,
                harmFlagRate = Math.Round(evidence.HarmFlagRate, 4),
            },
            thresholds,
        };
        // No patient: a status change is about a model.
        return new AuditEntry(userName, "", AuditKind.ModelStatusChange, new ModelStamp(version.ModelId, version.Version, version.Sha256),
            AuditHash.Sha256Hex(CanonicalJson.Serialize(change)), CanonicalJson.Serialize(output));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Models: registered {Id} {Version} as {Status}")]
    private partial void LogRegistered(string id, string version, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Models: {Id} {Version} changed from {From} to {To}")]
    private partial void LogChanged(string id, string version, string from, string to);

    [LoggerMessage(Level = LogLevel.Error, Message = "Models: the lifecycle table cannot be read: {Reason}")]
    private partial void LogUnavailable(string reason);
}
