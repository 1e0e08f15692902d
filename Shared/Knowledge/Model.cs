using System.Text.Json.Serialization;

namespace ClinicianPortal.Shared.Knowledge;

// The curated knowledge base, as read from Data/*.json. Everything here is immutable once loaded:
// lists are read-only wrappers (see ReadOnlyListConverter) and every property is init-only.

/// <summary>A diagnosis the differential can propose.</summary>
public sealed record Condition
{
    /// <summary>Stable kebab-case id; never reuse or rename (model versions and annotations refer to it).</summary>
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>Lay and clinical names and abbreviations, used to match free-text gold labels.</summary>
    public IReadOnlyList<string> Synonyms { get; init; } = [];
    public Codes Codes { get; init; } = new();
    /// <summary>Organ system or specialty, e.g. "cardiovascular".</summary>
    public required string System { get; init; }
    public required Prevalence Prevalence { get; init; }
    /// <summary>A diagnosis that must be considered whenever plausible because missing it kills or maims.</summary>
    public bool CantMiss { get; init; }
    public IReadOnlyList<ConditionFinding> Findings { get; init; } = [];
    public IReadOnlyList<RecommendedTest> Tests { get; init; } = [];
    /// <summary>Ids into <see cref="KnowledgeBase.References"/>.</summary>
    public IReadOnlyList<string> References { get; init; } = [];
    public string? Notes { get; init; }
}

/// <summary>Codes that identify a condition or a coded-condition finding in a record.</summary>
/// <remarks>ICD-10-CM codes match the code itself and its descendants (I21 matches I21.4).</remarks>
public sealed record Codes
{
    public IReadOnlyList<string> Icd10 { get; init; } = [];
    public IReadOnlyList<string> Snomed { get; init; } = [];
    [JsonIgnore] public bool IsEmpty => Icd10.Count == 0 && Snomed.Count == 0;
}

/// <summary>
/// How often a condition is the diagnosis of an encounter, per 1,000 encounters of each care setting.
/// The prior probability is the value / 1,000.
/// </summary>
public sealed record Prevalence
{
    public required double Emergency { get; init; }
    public required double Inpatient { get; init; }
    public required double PrimaryCare { get; init; }
    /// <summary>"estimate" (curator's estimate from the references) or a reference id.</summary>
    public required string Source { get; init; }

    public const string Unit = "per 1,000 encounters";

    public double Per1000(CareSetting setting) => setting switch
    {
        CareSetting.Emergency => Emergency,
        CareSetting.Inpatient => Inpatient,
        _ => PrimaryCare,
    };

    public double Probability(CareSetting setting) => Per1000(setting) / 1000.0;
}

public enum CareSetting { Emergency, Inpatient, PrimaryCare }

/// <summary>Whether a finding raises (supports) or lowers (refutes) the probability when present.</summary>
public enum FindingEffect { Supports, Refutes }

/// <summary>A finding's diagnostic weight for one condition.</summary>
/// <remarks>
/// Give LR+ and LR− directly, or sensitivity and specificity (the LRs are then derived).
/// Source "published" needs a reference; "estimate" is the curator's judgement and is flagged as such.
/// </remarks>
public sealed record ConditionFinding
{
    public required string Finding { get; init; }
    public double? LrPositive { get; init; }
    public double? LrNegative { get; init; }
    public double? Sensitivity { get; init; }
    public double? Specificity { get; init; }
    public FindingEffect Effect { get; init; } = FindingEffect.Supports;
    /// <summary>"published" (with <see cref="Reference"/>) or "estimate".</summary>
    public required string Source { get; init; }
    public string? Reference { get; init; }
    public string? Note { get; init; }

    public const string Published = "published";
    public const string Estimate = "estimate";

    [JsonIgnore] public bool IsEstimate => Source == Estimate;

    /// <summary>LR+ as given, else sensitivity / (1 − specificity).</summary>
    [JsonIgnore]
    public double? PositiveLikelihoodRatio => LrPositive
        ?? (Sensitivity is double se && Specificity is double sp && sp < 1 ? se / (1 - sp) : null);

    /// <summary>LR− as given, else (1 − sensitivity) / specificity.</summary>
    [JsonIgnore]
    public double? NegativeLikelihoodRatio => LrNegative
        ?? (Sensitivity is double se && Specificity is double sp && sp > 0 ? (1 - se) / sp : null);
}

/// <summary>A test worth ordering next for a condition, and what it tells apart.</summary>
public sealed record RecommendedTest
{
    /// <summary>Id into <see cref="KnowledgeBase.Tests"/>.</summary>
    public required string Test { get; init; }
    public required string Distinguishes { get; init; }
}

public enum FindingKind { Symptom, Sign, Lab, Vital, History, RiskFactor, Medication, Demographic }

/// <summary>An observable fact about a patient, shared by all conditions that use it.</summary>
public sealed record Finding
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required FindingKind Kind { get; init; }
    public required Detection Detection { get; init; }
}

/// <summary>How a finding is recognised in a patient's record; any one matching criterion makes it present.</summary>
public sealed record Detection
{
    /// <summary>Coded conditions (problem list, encounter diagnoses).</summary>
    public Codes Codes { get; init; } = new();
    public IReadOnlyList<ObservationCriterion> Observations { get; init; } = [];
    public IReadOnlyList<TrendCriterion> Trends { get; init; } = [];
    public IReadOnlyList<MedicationMatch> Medications { get; init; } = [];
    /// <summary>Note phrases (lower case); matching must respect negation ("no chest pain") and history.</summary>
    public IReadOnlyList<string> Phrases { get; init; } = [];
    public DemographicCriterion? Demographic { get; init; }

    [JsonIgnore]
    public bool IsEmpty => Codes.IsEmpty && Observations.Count == 0 && Trends.Count == 0
        && Medications.Count == 0 && Phrases.Count == 0 && Demographic is null;
}

/// <summary>
/// One result compared with a threshold ("comparator": "&gt;", "&gt;=", "&lt;", "&lt;=") in a UCUM unit,
/// or a qualitative result ("comparator": "=", "value": "positive").
/// </summary>
public sealed record ObservationCriterion
{
    public required IReadOnlyList<string> Loinc { get; init; }
    public required string Comparator { get; init; }
    public double? Threshold { get; init; }
    public string? Unit { get; init; }
    public string? Value { get; init; }
}

public enum TrendMeasure
{
    /// <summary>Least-squares slope per year over all results (e.g. eGFR falling &gt; 5 per year).</summary>
    SlopePerYear,
    /// <summary>Latest minus lowest/highest earlier result within the window (e.g. creatinine +0.3 mg/dL in 48 h).</summary>
    Change,
    /// <summary>Latest divided by the lowest earlier result within the window (e.g. creatinine ≥ 1.5 × baseline in 7 days).</summary>
    Ratio,
}

/// <summary>A pattern over several results of the same observation.</summary>
public sealed record TrendCriterion
{
    public required IReadOnlyList<string> Loinc { get; init; }
    public required TrendMeasure Measure { get; init; }
    public required string Comparator { get; init; }
    public required double Threshold { get; init; }
    /// <summary>UCUM unit of the threshold ("1" for a ratio, e.g. "mL/min/{1.73_m2}/a" for a slope).</summary>
    public required string Unit { get; init; }
    public int MinResults { get; init; } = 2;
    public double? WindowHours { get; init; }
}

/// <summary>A medication by RxNorm ingredient code and/or ingredient name (lower case).</summary>
public sealed record MedicationMatch
{
    public string? Rxnorm { get; init; }
    public required string Name { get; init; }
}

public sealed record DemographicCriterion
{
    public int? MinAge { get; init; }
    public int? MaxAge { get; init; }
    /// <summary>"female" or "male" (administrative sex).</summary>
    public string? Sex { get; init; }
}

/// <summary>A test in the catalogue.</summary>
public sealed record DiagnosticTest
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public IReadOnlyList<string> Loinc { get; init; } = [];
    public IReadOnlyList<string> Snomed { get; init; } = [];
    public required string RulesIn { get; init; }
    public required string RulesOut { get; init; }
}

/// <summary>A guideline or paper the knowledge rests on.</summary>
public sealed record Reference
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    /// <summary>Issuing body or journal.</summary>
    public required string Source { get; init; }
    public required int Year { get; init; }
    public string? Doi { get; init; }
    public string? Url { get; init; }
    /// <summary>Key statements this reference supports, per condition: what the evidence retriever searches.</summary>
    public IReadOnlyList<ReferencePassage> Passages { get; init; } = [];
}

/// <summary>
/// The key statement a reference supports for one condition, in the project's own words: a paraphrase, never a
/// copied abstract or quotation (so the knowledge base can be shipped without the publisher's licence).
/// </summary>
public sealed record ReferencePassage
{
    /// <summary>Id into <see cref="KnowledgeBase.Conditions"/>.</summary>
    public required string Condition { get; init; }
    public required string Text { get; init; }
    /// <summary>Must be true: the text is the project's paraphrase, and the UI says so.</summary>
    public required bool Paraphrase { get; init; }
}

/// <summary>The shape of one data file: any of the four sections may be present.</summary>
public sealed record KnowledgeFile
{
    public IReadOnlyList<Condition> Conditions { get; init; } = [];
    public IReadOnlyList<Finding> Findings { get; init; } = [];
    public IReadOnlyList<DiagnosticTest> Tests { get; init; } = [];
    public IReadOnlyList<Reference> References { get; init; } = [];
}
