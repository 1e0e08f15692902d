using ClinicianPortal.ModelLifecycle;
using ClinicianPortal.Shared.Governance.ModelCards;
using ClinicianPortal.Shared.Inference.Models;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Differential;
using Microsoft.Extensions.Options;

namespace ClinicianPortal.CaseReview;

/// <summary>
/// The differential engines this build can run, one per model version: the model as curated (<see cref="Curated"/>) and the
/// configured candidates (ModelGovernance:DifferentialCandidates, each a different weight on curator-estimated likelihood
/// ratios). All are compiled from the embedded knowledge base into the models folder, where the registry verifies and serves
/// them side by side; which one serves clinicians is the lifecycle's decision (the approved version).
/// </summary>
public sealed class DifferentialModels
{
    private readonly Dictionary<string, DifferentialEngine> byVersion = new(StringComparer.Ordinal);

    public DifferentialModels(KnowledgeBase kb, ModelRegistry registry, IOptions<ModelGovernanceOptions> options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Curated = DifferentialModelInstaller.CreateEngine(kb, registry, logger);
        byVersion[Curated.Spec.Version] = Curated;
        foreach (var weight in options.Value.DifferentialCandidates.Distinct().Where(w => w != 1))
        {
            var engine = DifferentialModelInstaller.CreateEngine(kb, registry, logger, estimateWeight: weight);
            byVersion[engine.Spec.Version] = engine;
        }
    }

    /// <summary>The model as curated: the version a fresh installation approves.</summary>
    public DifferentialEngine Curated { get; }

    public IReadOnlyCollection<DifferentialEngine> All => byVersion.Values;

    public DifferentialEngine? ForVersion(string version) => byVersion.GetValueOrDefault(version);

    /// <summary>The card of a served model: the differential's own for versions this build compiles, else what the manifest says.</summary>
    public ModelCard CardFor(ModelStatus model, DateOnly released)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Id == DifferentialSpec.ModelId && model.Version is not null && ForVersion(model.Version) is { } engine)
            return DifferentialModelCard.For(engine.Spec, released);
        // A model an operator installed: the card is as complete as its manifest (the admin page lists what is missing).
        return new ModelCard
        {
            ModelId = model.Id, Version = model.Version ?? "", Name = model.Id, Output = model.Task ?? "", InputFeatures = "",
            IntendedUse = "", IntendedUsers = "", TargetPopulation = "", TrainingData = "", ValidationProcess = "",
            ValidationResults = "", FairnessAssessment = "", UpdateAndMonitoring = "", Developer = "", Funding = "",
            ReleaseDate = released, RevisionDate = released,
        };
    }
}
