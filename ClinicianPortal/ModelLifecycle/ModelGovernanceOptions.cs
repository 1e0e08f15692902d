using ClinicianPortal.Shared.Governance.Lifecycle;

namespace ClinicianPortal.ModelLifecycle;

/// <summary>Configuration section "ModelGovernance": what promotion requires, and which candidate models run in shadow.</summary>
public sealed class ModelGovernanceOptions
{
    public const string Section = "ModelGovernance";

    /// <summary>Shadow → pilot.</summary>
    public PromotionThresholds Pilot { get; set; } = new() { MinimumRatedOutputs = 20, MinimumMeanScore = 3.5, MaximumHarmFlagRate = 0.05 };

    /// <summary>Pilot → approved (serves clinicians).</summary>
    public PromotionThresholds Approved { get; set; } = new() { MinimumRatedOutputs = 50, MinimumMeanScore = 4.0, MaximumHarmFlagRate = 0.02 };

    /// <summary>
    /// Candidate differential models compiled beside the curated one, as the weight given to curator-estimated likelihood
    /// ratios (e.g. 0.5; see DifferentialSpec.EstimateWeight). Each is a version of its own that enters in shadow. None by default.
    /// </summary>
    public List<double> DifferentialCandidates { get; set; } = [];

    /// <summary>
    /// When the approved version is not part of this release (its knowledge base changed in an upgrade), approve the
    /// release's curated version at start-up, audited as a release upgrade, rather than leave clinicians without case
    /// reviews until enough shadow ratings exist (shadow reviews need an approved version to run beside). True by default;
    /// false keeps reviews unavailable until an administrator approves a version.
    /// </summary>
    public bool ApproveReleaseOnUpgrade { get; set; } = true;

    public PromotionThresholds ThresholdsFor(LifecycleStatus to) => to switch
    {
        LifecycleStatus.Pilot => Pilot,
        LifecycleStatus.Approved => Approved,
        _ => throw new ArgumentOutOfRangeException(nameof(to), to, "Only promotions to pilot or approved have thresholds."),
    };
}
