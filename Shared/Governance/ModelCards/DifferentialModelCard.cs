using System.Globalization;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Differential;

namespace ClinicianPortal.Shared.Governance.ModelCards;

/// <summary>
/// The card of a differential model version, written from the spec it was compiled from: the counts (published vs
/// estimated weights, conditions, findings, references) are computed, so the card cannot drift from the model. It is
/// built in code rather than shipped as a JSON file beside the manifest because the registry reads every *.json in the
/// models folder as a manifest, and because a card per compiled variant would otherwise have to be written by hand.
/// </summary>
public static class DifferentialModelCard
{
    /// <summary>When this card's wording last changed.</summary>
    public static readonly DateOnly Revised = new(2026, 11, 22);

    public const string Developer = "The ClinicianPortal project (open source); knowledge base curated by the project's contributors";

    public static ModelCard For(DifferentialSpec spec, DateOnly releaseDate)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var entries = spec.Conditions.SelectMany(c => c.Findings).ToList();
        int published = entries.Count(e => !e.IsEstimate), total = entries.Count;
        var cited = entries.Where(e => e.Reference is not null).Select(e => e.Reference!).ToHashSet(StringComparer.Ordinal);
        var references = spec.Knowledge.References.Where(r => cited.Contains(r.Id)).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        var variant = spec.EstimateWeight == 1
            ? "The model as curated."
            : string.Create(CultureInfo.InvariantCulture,
                $"A candidate variant: the {total - published} curator-estimated weights are multiplied by {spec.EstimateWeight} in log space (LR^{spec.EstimateWeight}), shrinking them toward no effect; published values are unchanged.");
        return new ModelCard
        {
            ModelId = DifferentialSpec.ModelId,
            Version = spec.Version,
            Name = "Knowledge-base differential diagnosis",
            Output = $"A ranked list of the top {spec.TopK} of {spec.Conditions.Count} conditions with probabilities that add up to 1 across the listed conditions, "
                + "plus can't-miss conditions above a floor, each with the findings for and against it (per-finding log likelihood ratios citing chart entries "
                + "and knowledge-base references), and the next tests that would best separate the leading candidates. " + variant,
            InputFeatures = $"Presence or documented absence of {spec.Findings.Count} findings (symptoms, signs, vital-sign and laboratory thresholds) extracted from the "
                + "de-identified record, and the care setting (emergency, inpatient, primary care). No demographics other than those findings encode.",
            IntendedUse = "Decision support for a clinician reviewing an adult patient's chart: a reminder of diagnoses to consider, including can't-miss ones, "
                + "and of tests that would discriminate between them. The clinician reviews every suggestion against its cited evidence.",
            IntendedUsers = "Licensed physicians and members of the care team (nurses, pharmacists, residents) in emergency, inpatient and primary care; validators who rate its outputs.",
            TargetPopulation = "Adults presenting with an acute or undifferentiated complaint in emergency, inpatient or primary care, whose condition is among the knowledge base's "
                + $"{spec.Conditions.Count} conditions.",
            CautionedUses =
            [
                "Sparse records: findings not documented count for nothing, so the care setting's priors dominate the ranking.",
                "Patients with several co-existing diagnoses: probabilities are shared between them, so each looks less likely than it is.",
                "Care settings unlike those of the curated priors (e.g. tropical or specialist clinics): prevalence differs from the priors.",
            ],
            OutOfScopeUses =
            [
                "Making or excluding a diagnosis without a clinician's judgement.",
                "Children, and pregnancy-specific conditions beyond those in the knowledge base.",
                "Conditions not in the knowledge base: the model can only rank what it lists.",
                "Triage, or prioritising patients by the probabilities.",
                "Reporting the probabilities to patients as their risk.",
            ],
            RisksAndLimitations =
            [
                $"Only {published} of {total} likelihood-ratio weights are published values with a citation; the other {total - published} are curator estimates.",
                "Not validated prospectively, and not calibrated against outcomes: probabilities are those of a naive Bayes model, not observed frequencies.",
                "Findings are assumed independent given the condition: correlated findings (e.g. fever and leukocytosis) are counted twice and overstate certainty.",
                "Softmax assumes exactly one listed condition explains the presentation; a condition outside the knowledge base still spreads its probability over the listed ones.",
                "Priors are curator estimates of how often each condition is the diagnosis in a care setting, not local epidemiology.",
                "Errors of the finding extractor (a missed negation, a mis-coded lab) flow into the ranking; each finding cites its chart entry so a reader can check.",
            ],
            TrainingData = $"Not trained on patient data: compiled from the project's curated knowledge base (Shared/Knowledge/Data, canonical JSON sha256 {spec.KnowledgeSha256}): "
                + $"{spec.Conditions.Count} conditions, {spec.Findings.Count} findings used by the model, {total} condition–finding weights "
                + $"({published} published with a reference, {total - published} estimates), prevalence per 1,000 encounters per care setting, and "
                + $"{spec.Knowledge.References.Count} references. Provenance: every entry names its source (published + reference, or estimate); the knowledge base is "
                + "versioned with the code and its hash is part of the model version.",
            ValidationProcess = "Retrospective: the evaluation command (eval) on synthetic Synthea cohorts and on DDXPlus cases mapped to the knowledge base. "
                + "In the portal: every case review is audited; validators rate sampled outputs blind on the PDSQI-9 rubric plus potential for harm (1–5), "
                + "each output by at least two validators. A version moves shadow → pilot → approved only when the configured minimum of rated outputs, "
                + "minimum mean score per dimension and maximum harm-flag rate are met (ModelGovernance settings).",
            ValidationResults = "No prospective validation. Ratings by the portal's validators are shown beside this card as they accrue.",
            FairnessAssessment = "Not assessed by subgroup yet: validator ratings are not stratified by sex, age or ethnicity, and the weights come from studies whose "
                + "populations the knowledge base does not record. The model sees no race or ethnicity input; sex and age enter only through findings and "
                + "condition criteria. Known gap: the published likelihood ratios mostly come from adult populations in high-income countries.",
            UpdateAndMonitoring = "A new version is compiled whenever the knowledge base or the compiler changes; it starts in shadow (run silently beside the approved version, "
                + "its outputs audited and rated) and is promoted only on the validation thresholds. Ratings, harm flags and annotations are monitored per version on "
                + "the dashboards; the knowledge base is reviewed at least yearly.",
            Citations = [.. references.Select(r => new Citation(r.Title, r.Source, r.Year, r.Doi, r.Url))],
            Developer = Developer,
            Funding = "None: no external funding.",
            ReleaseDate = releaseDate,
            RevisionDate = Revised > releaseDate ? Revised : releaseDate,
        };
    }
}
