using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Shared.Reasoning.Summary;

/// <summary>The problems the summary knows how to follow: each has its lab or vital series and its treatments.</summary>
public enum ProblemKind
{
    AcuteKidneyInjury,
    ChronicKidneyDisease,
    Diabetes,
    HeartFailure,
    AtrialFibrillation,
    Hypertension,
    GastrointestinalBleed,
    Anaemia,
    Copd,
}

/// <summary>
/// One series to follow for a problem: the LOINC codes that carry it (eGFR may be MDRD or CKD-EPI; the one
/// with the latest result is used), a short clinical name, and the smallest change that counts as a trend
/// (null: 10 % of the mean level).
/// </summary>
public sealed record SeriesRule(string ShortName, double? SignificantChange, params string[] LoincCodes);

/// <summary>How a problem is recognised (SNOMED CT codes, ICD-10 prefixes, words in its display text) and what to follow.</summary>
public sealed record ProblemRule(
    ProblemKind Kind,
    string[] SnomedCodes,
    string[] Icd10Prefixes,
    string[] TextPatterns,
    SeriesRule[] Series);

/// <summary>
/// The explicit, small table that maps problems to the series that show their course. Order matters:
/// the first matching rule wins ("acute kidney injury" before "kidney disease", "diabetic kidney disease"
/// counts as kidney disease).
/// </summary>
public static class ProblemMap
{
    public static readonly SeriesRule Egfr = new("eGFR", 5, "62238-1", "33914-3", "48642-3", "48643-1", "98979-8");
    public static readonly SeriesRule Creatinine = new("creatinine", 0.3, "2160-0", "38483-4");
    public static readonly SeriesRule Potassium = new("potassium", 0.5, "2823-3", "6298-4");
    public static readonly SeriesRule HbA1c = new("HbA1c", 0.5, "4548-4", "17856-6");
    public static readonly SeriesRule Glucose = new("glucose", null, "2345-7", "2339-0");
    public static readonly SeriesRule NatriureticPeptide = new("BNP", null, "30934-4");
    public static readonly SeriesRule NtProBnp = new("NT-proBNP", null, "33762-6");
    public static readonly SeriesRule Lvef = new("LVEF", 5, "10230-1", "8806-2", "18043-0");
    public static readonly SeriesRule Inr = new("INR", 0.5, "6301-6", "34714-6");
    public static readonly SeriesRule Systolic = new("systolic blood pressure", 10, "8480-6");
    public static readonly SeriesRule Diastolic = new("diastolic blood pressure", 5, "8462-4");
    public static readonly SeriesRule Haemoglobin = new("haemoglobin", 1, "718-7");
    public static readonly SeriesRule OxygenSaturation = new("SpO2", 3, "59408-5", "2708-6");
    public static readonly SeriesRule Fev1Fvc = new("FEV1/FVC", 5, "19926-5");

    /// <summary>The known series a code belongs to, if any.</summary>
    public static SeriesRule? SeriesOf(string code) => Rules.SelectMany(r => r.Series).FirstOrDefault(s => s.LoincCodes.Contains(code));

    public static IReadOnlyList<ProblemRule> Rules { get; } =
    [
        new(ProblemKind.AcuteKidneyInjury, ["14669001", "140031000119103"], ["N17"], ["acute kidney injury", "acute renal failure"],
            [Creatinine, Potassium, Egfr]),
        new(ProblemKind.ChronicKidneyDisease, ["709044004", "431855005", "431856006", "433144002", "431857002", "433146000", "46177005", "127013003"],
            ["N18", "E11.2", "E10.2", "I12", "I13"], ["chronic kidney disease", "kidney disease", "renal disease", "nephropathy", "renal failure"],
            [Egfr, Creatinine, Potassium]),
        new(ProblemKind.Diabetes, ["44054006", "73211009", "46635009"], ["E08", "E09", "E10", "E11", "E13"], ["diabetes"],
            [HbA1c, Glucose]),
        new(ProblemKind.HeartFailure, ["84114007", "88805009", "42343007", "85232009"], ["I50"], ["heart failure", "cardiac failure"],
            [NatriureticPeptide, NtProBnp, Lvef]),
        new(ProblemKind.AtrialFibrillation, ["49436004", "282825002", "440059007"], ["I48"], ["atrial fibrillation"],
            [Inr]),
        new(ProblemKind.Hypertension, ["38341003", "59621000", "1201005"], ["I10", "I11", "I15"], ["hypertension"],
            [Systolic, Diastolic]),
        new(ProblemKind.GastrointestinalBleed, ["37372002", "74474003", "2901004"], ["K92.0", "K92.1", "K92.2"],
            ["gastrointestinal hemorrhage", "gastrointestinal haemorrhage", "gastrointestinal bleed", "melena", "melaena"],
            [Haemoglobin]),
        new(ProblemKind.Anaemia, ["271737000", "87522002"], ["D50", "D51", "D52", "D53", "D55", "D56", "D57", "D58", "D59", "D60", "D61", "D62", "D63", "D64"],
            ["anemia", "anaemia"], [Haemoglobin]),
        new(ProblemKind.Copd, ["13645005", "195951007"], ["J44"], ["chronic obstructive"], [OxygenSaturation, Fev1Fvc]),
    ];

    /// <summary>The rule for a condition, or null for problems the summary does not follow.</summary>
    public static ProblemRule? Match(ClinicalEvent condition)
    {
        foreach (var rule in Rules)
        {
            if (condition.Codes.Any(c => c.System == Coding.Snomed && c.Code is { } code && rule.SnomedCodes.Contains(code))) return rule;
            if (condition.Codes.Any(c => c.System is { } s && s.Contains("icd-10", StringComparison.OrdinalIgnoreCase)
                    && c.Code is { } code && rule.Icd10Prefixes.Any(p => code.StartsWith(p, StringComparison.OrdinalIgnoreCase)))) return rule;
        }
        var text = string.Join(" ", [condition.Title, .. condition.Codes.Select(c => c.Display ?? "")]).ToLowerInvariant();
        if (text.Contains("pulmonary hypertension", StringComparison.Ordinal)) return null;
        return Rules.FirstOrDefault(r => r.TextPatterns.Any(p => text.Contains(p, StringComparison.Ordinal)));
    }
}

/// <summary>Treatment classes, recognised by ingredient words in the medication's display text.</summary>
public static class MedicationClasses
{
    public static readonly string[] Anticoagulants =
        ["apixaban", "rivaroxaban", "edoxaban", "dabigatran", "warfarin", "heparin", "enoxaparin", "dalteparin", "tinzaparin", "fondaparinux"];
    public static readonly string[] Antihypertensives =
        ["lisinopril", "enalapril", "ramipril", "perindopril", "captopril", "losartan", "valsartan", "candesartan", "irbesartan", "olmesartan",
         "telmisartan", "amlodipine", "nifedipine", "felodipine", "diltiazem", "verapamil", "hydrochlorothiazide", "chlorthalidone", "indapamide",
         "metoprolol", "carvedilol", "bisoprolol", "atenolol", "nebivolol", "labetalol", "spironolactone", "eplerenone", "doxazosin", "hydralazine",
         "furosemide", "torsemide", "bumetanide", "sacubitril"];
    public static readonly string[] GlucoseLowering =
        ["metformin", "insulin", "empagliflozin", "dapagliflozin", "canagliflozin", "ertugliflozin", "gliclazide", "glipizide", "glimepiride",
         "glyburide", "glibenclamide", "sitagliptin", "linagliptin", "saxagliptin", "alogliptin", "liraglutide", "semaglutide", "dulaglutide",
         "exenatide", "tirzepatide", "pioglitazone"];
    public static readonly string[] Inhalers =
        ["tiotropium", "umeclidinium", "glycopyrronium", "aclidinium", "ipratropium", "salbutamol", "albuterol", "formoterol", "salmeterol",
         "vilanterol", "olodaterol", "indacaterol", "budesonide", "fluticasone", "beclometasone", "beclomethasone", "mometasone"];
    public static readonly string[] BetaBlockers = ["metoprolol", "carvedilol", "bisoprolol", "nebivolol"];
    public static readonly string[] Nsaids =
        ["ibuprofen", "naproxen", "diclofenac", "celecoxib", "etoricoxib", "meloxicam", "indomethacin", "ketorolac", "ketoprofen", "piroxicam"];

    public static bool IsIn(ClinicalEvent medication, IEnumerable<string> ingredients)
    {
        var text = string.Join(" ", [medication.Title, .. medication.Codes.Select(c => c.Display ?? "")]).ToLowerInvariant();
        return ingredients.Any(i => text.Contains(i, StringComparison.Ordinal));
    }
}
