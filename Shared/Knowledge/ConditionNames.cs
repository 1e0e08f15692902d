using System.Text;

namespace ClinicianPortal.Shared.Knowledge;

/// <summary>
/// Normalises diagnosis names so that "Pulmonary Embolisms", "pulmonary-embolism" and
/// "Pulmonary embolism." compare equal, and "anaemia" equals "anemia".
/// </summary>
public static class ConditionNames
{
    // British spellings to American, applied to whole text after lower-casing (substring rules).
    private static readonly (string From, string To)[] Spelling =
    [
        ("oesophag", "esophag"), ("oedema", "edema"), ("oestr", "estr"), ("diarrhoea", "diarrhea"),
        ("haem", "hem"), ("aemia", "emia"), ("ischaem", "ischem"), ("leukaem", "leukem"), ("coeliac", "celiac"),
        ("tumour", "tumor"), ("paediatr", "pediatr"), ("foetal", "fetal"), ("gynaec", "gynec"),
        ("orrhoea", "orrhea"), ("isation", "ization"), ("ising", "izing"), ("ysing", "yzing"), ("fibre", "fiber"),
        ("sulph", "sulf"), ("ae", "e"),
    ];

    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["&"] = "and", ["w"] = "with", ["vs"] = "versus",
        // Latin plurals
        ["emboli"] = "embolus", ["thrombi"] = "thrombus", ["calculi"] = "calculus", ["bronchi"] = "bronchus", ["fungi"] = "fungus",
    };

    // Words that end in s but are not plurals.
    private static readonly HashSet<string> KeepS = new(StringComparer.Ordinal)
    {
        "diabetes", "herpes", "measles", "mumps", "rabies", "tetanus", "pertussis", "sepsis", "psoriasis", "mellitus",
        "insipidus", "lupus", "virus", "status", "ascites", "bronchiectasis", "bronchitis", "thrombosis", "stenosis",
        "sclerosis", "fibrosis", "ketosis", "acidosis", "alkalosis", "tuberculosis", "diverticulosis", "nephrolithiasis",
        "cholelithiasis", "endometriosis", "adenomyosis", "paresis", "tetanus", "syphilis", "scabies", "varices",
        "pancreas", "abscess", "sinus", "crisis", "uterus", "bus", "gas", "plus", "this", "thus", "meninges",
        "calculus", "embolus", "hiatus", "ileus", "mitis", "lens", "pubis", "pes", "campus", "fetus", "cirrhosis",
        "less", "ss", "stress", "distress", "illness", "weakness", "shortness", "numbness", "paralysis", "dialysis",
    };

    // Common clinical abbreviations, expanded on both sides of a comparison so that "Upper GI bleeding"
    // equals "upper gastrointestinal bleeding". Targets are already in normalised form. Words that are
    // also English words ("as", "he", "pd") are deliberately left out.
    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["gi"] = "gastrointestinal", ["mi"] = "myocardial infarction", ["copd"] = "chronic obstructive pulmonary disease",
        ["chf"] = "congestive heart failure", ["uti"] = "urinary tract infection", ["tia"] = "transient ischemic attack",
        ["dka"] = "diabetic ketoacidosis", ["ckd"] = "chronic kidney disease", ["aki"] = "acute kidney injury",
        ["dvt"] = "deep vein thrombosis", ["pe"] = "pulmonary embolism", ["tb"] = "tuberculosis", ["htn"] = "hypertension",
        ["dm"] = "diabetes mellitus", ["acs"] = "acute coronary syndrome", ["cap"] = "community acquired pneumonia",
        ["sah"] = "subarachnoid hemorrhage", ["ich"] = "intracerebral hemorrhage", ["aaa"] = "abdominal aortic aneurysm",
        ["gerd"] = "gastroesophageal reflux disease", ["gord"] = "gastroesophageal reflux disease", ["ibs"] = "irritable bowel syndrome",
        ["ibd"] = "inflammatory bowel disease", ["uri"] = "upper respiratory infection", ["urti"] = "upper respiratory tract infection",
        ["svt"] = "supraventricular tachycardia", ["bppv"] = "benign paroxysmal positional vertigo",
        ["venous"] = "vein",
    };

    // Qualifiers dropped by the fallback comparison (see KnowledgeBase.FindByName).
    private static readonly HashSet<string> Qualifiers = new(StringComparer.Ordinal) { "acute", "disease", "syndrome", "disorder" };

    /// <summary>The normalised name without generic qualifiers ("acute", "disease", "syndrome", "disorder").</summary>
    public static string WithoutQualifiers(string normalised) =>
        string.Join(' ', normalised.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(t => !Qualifiers.Contains(t)));

    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lower = Fold(text.ToLowerInvariant());
        foreach (var (from, to) in Spelling) lower = lower.Replace(from, to, StringComparison.Ordinal);
        lower = lower.Replace("'s ", " ", StringComparison.Ordinal).Replace("’s ", " ", StringComparison.Ordinal);
        if (lower.EndsWith("'s", StringComparison.Ordinal) || lower.EndsWith("’s", StringComparison.Ordinal)) lower = lower[..^2];
        var sb = new StringBuilder(lower.Length);
        foreach (var ch in lower) sb.Append(char.IsLetterOrDigit(ch) || ch == '&' ? ch : ' ');
        var tokens = sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => Words.GetValueOrDefault(t, t))
            .Select(Singular)
            .Select(t => Abbreviations.GetValueOrDefault(t, t));
        return string.Join(' ', tokens);
    }

    private static string Singular(string word)
    {
        if (word.Length <= 3 || KeepS.Contains(word) || !word.EndsWith('s')) return word;
        if (word.EndsWith("itis", StringComparison.Ordinal) || word.EndsWith("osis", StringComparison.Ordinal)
            || word.EndsWith("asis", StringComparison.Ordinal) || word.EndsWith("us", StringComparison.Ordinal)
            || word.EndsWith("ss", StringComparison.Ordinal) || word.EndsWith("ysis", StringComparison.Ordinal)) return word;
        if (word.EndsWith("ies", StringComparison.Ordinal)) return word[..^3] + "y";
        if (word.EndsWith("ches", StringComparison.Ordinal) || word.EndsWith("shes", StringComparison.Ordinal)
            || word.EndsWith("xes", StringComparison.Ordinal)) return word[..^2];
        return word[..^1];
    }

    // Latin letters with diacritics folded by hand: the app runs with invariant globalization.
    private static string Fold(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var ch in s)
        {
            sb.Append(ch switch
            {
                'á' or 'à' or 'â' or 'ä' or 'ã' or 'å' => 'a',
                'é' or 'è' or 'ê' or 'ë' => 'e',
                'í' or 'ì' or 'î' or 'ï' => 'i',
                'ó' or 'ò' or 'ô' or 'ö' or 'õ' or 'ø' => 'o',
                'ú' or 'ù' or 'û' or 'ü' => 'u',
                'ç' => 'c',
                'ñ' => 'n',
                _ => ch,
            });
        }
        return sb.ToString();
    }
}
