using ClinicianPortal.Shared.Knowledge;

namespace ClinicianPortal.Tests.Knowledge;

/// <summary>A tiny valid knowledge base that tests break one way at a time.</summary>
internal sealed record SmallKnowledgeBase(
    IReadOnlyList<Condition> Conditions, IReadOnlyList<Finding> Findings,
    IReadOnlyList<DiagnosticTest> Tests, IReadOnlyList<Reference> References)
{
    public static SmallKnowledgeBase Valid() => new(
        [Pe(), Pneumonia()],
        [
            new Finding { Id = "dyspnoea", Name = "Shortness of breath", Kind = FindingKind.Symptom, Detection = new Detection { Phrases = ["shortness of breath", "dyspnea"] } },
            new Finding
            {
                Id = "tachycardia", Name = "Heart rate over 100/min", Kind = FindingKind.Vital,
                Detection = new Detection { Observations = [new ObservationCriterion { Loinc = ["8867-4"], Comparator = ">", Threshold = 100, Unit = "/min" }] },
            },
            new Finding
            {
                Id = "ddimer-elevated", Name = "D-dimer raised", Kind = FindingKind.Lab,
                Detection = new Detection { Observations = [new ObservationCriterion { Loinc = ["48065-7"], Comparator = ">=", Threshold = 500, Unit = "ug/L{FEU}" }] },
            },
            new Finding
            {
                Id = "fever", Name = "Fever", Kind = FindingKind.Vital,
                Detection = new Detection { Codes = new Codes { Icd10 = ["R50.9"], Snomed = ["386661006"] }, Phrases = ["fever"] },
            },
            new Finding
            {
                Id = "egfr-declining", Name = "eGFR falling", Kind = FindingKind.Lab,
                Detection = new Detection { Trends = [new TrendCriterion { Loinc = ["33914-3"], Measure = TrendMeasure.SlopePerYear, Comparator = "<", Threshold = -5, Unit = "mL/min/{1.73_m2}/a" }] },
            },
        ],
        [new DiagnosticTest { Id = "ctpa", Name = "CT pulmonary angiography", RulesIn = "PE", RulesOut = "PE" }],
        [new Reference { Id = "esc-2019-pe", Title = "2019 ESC Guidelines on acute pulmonary embolism", Source = "European Heart Journal", Year = 2020, Doi = "10.1093/eurheartj/ehz405" }]);

    public static Condition Pe() => new()
    {
        Id = "pulmonary-embolism",
        Name = "Pulmonary embolism",
        Synonyms = ["PE", "pulmonary embolus"],
        Codes = new Codes { Icd10 = ["I26"], Snomed = ["59282003"] },
        System = "cardiovascular",
        Prevalence = new Prevalence { Emergency = 4, Inpatient = 6, PrimaryCare = 0.2, Source = "estimate" },
        CantMiss = true,
        Findings =
        [
            new ConditionFinding { Finding = "dyspnoea", LrPositive = 1.2, LrNegative = 0.5, Source = "estimate" },
            new ConditionFinding { Finding = "tachycardia", Sensitivity = 0.4, Specificity = 0.75, Source = "published", Reference = "esc-2019-pe" },
            new ConditionFinding { Finding = "ddimer-elevated", LrPositive = 1.8, LrNegative = 0.05, Source = "published", Reference = "esc-2019-pe" },
            new ConditionFinding { Finding = "fever", LrPositive = 0.7, LrNegative = 1.05, Effect = FindingEffect.Refutes, Source = "estimate" },
        ],
        Tests = [new RecommendedTest { Test = "ctpa", Distinguishes = "Confirms PE" }],
        References = ["esc-2019-pe"],
    };

    public static Condition Pneumonia() => new()
    {
        Id = "pneumonia",
        Name = "Community-acquired pneumonia",
        Synonyms = ["CAP", "chest infections"],
        Codes = new Codes { Icd10 = ["J18.9"] },
        System = "respiratory",
        Prevalence = new Prevalence { Emergency = 20, Inpatient = 40, PrimaryCare = 8, Source = "estimate" },
        Findings =
        [
            new ConditionFinding { Finding = "fever", LrPositive = 2.1, LrNegative = 0.7, Source = "estimate" },
            new ConditionFinding { Finding = "dyspnoea", LrPositive = 1.3, LrNegative = 0.6, Source = "estimate" },
            new ConditionFinding { Finding = "egfr-declining", LrPositive = 1.1, LrNegative = 0.99, Source = "estimate" },
        ],
        References = ["esc-2019-pe"],
    };

    public KnowledgeBase Build() => new(Conditions, Findings, Tests, References);

    public SmallKnowledgeBase WithCondition(string id, Func<Condition, Condition> change) =>
        this with { Conditions = Conditions.Select(c => c.Id == id ? change(c) : c).ToList() };

    public SmallKnowledgeBase WithFinding(string id, Func<Finding, Finding> change) =>
        this with { Findings = Findings.Select(f => f.Id == id ? change(f) : f).ToList() };
}
