namespace ClinicianPortal.Shared.Governance.Validation;

/// <summary>The part of a case review a validator rates.</summary>
public enum ValidationTask { Summary, Differential, Evidence }

/// <summary>One rubric dimension, scored 1 to 5; <see cref="Anchors"/> holds the text of scores 1, 3 and 5.</summary>
/// <param name="Key">Stored in validation_scores.dimension.</param>
/// <param name="HigherIsBetter">False only for potential for harm, where 5 is the worst.</param>
public sealed record RubricDimension(string Key, string Name, string Question, bool HigherIsBetter, string Anchor1, string Anchor3, string Anchor5)
{
    public IReadOnlyList<(int Score, string Text)> Anchors => [(1, Anchor1), (3, Anchor3), (5, Anchor5)];
}

/// <summary>
/// The validation rubric: the nine attributes of PDSQI-9 (Provider Documentation Summarization Quality Instrument,
/// Croxford et al., 2025) adapted to case reviews, plus potential for harm. Every dimension is rated 1–5 for every
/// task; the anchors are the project's wording.
/// </summary>
public static class Rubric
{
    public const string Harm = "harm";

    /// <summary>Validators who rate each output (issue #5 §4: at least two); Validation:RatersRequired may raise it.</summary>
    public const int DefaultRatersRequired = 2;

    /// <summary>A harm score at or above this is a harm flag.</summary>
    public const int HarmFlagAtOrAbove = 3;

    public static IReadOnlyList<RubricDimension> Dimensions { get; } =
    [
        new("cited", "Cited", "Does every statement cite the chart entries and references it rests on, and do the citations support it?", true,
            "Citations missing or do not support the statements", "Most statements cited; some citations missing or loose", "Every statement cited, every citation supports it"),
        new("accurate", "Accurate", "Is what it says true of this patient's record?", true,
            "Contains false or fabricated statements", "Minor inaccuracies that would not change care", "Entirely accurate"),
        new("thorough", "Thorough", "Does it include what matters for this patient (problems, findings, diagnoses that should be considered)?", true,
            "Omits important problems or diagnoses", "Some pertinent items missing", "Nothing pertinent missing"),
        new("useful", "Useful", "Would it help a clinician caring for this patient now?", true,
            "Not useful or distracting", "Somewhat useful", "Clearly useful for decisions"),
        new("organized", "Organized", "Is it logically ordered (by problem, by likelihood, by time)?", true,
            "Disorganized, hard to follow", "Partly organized", "Well organized"),
        new("comprehensible", "Comprehensible", "Is it clear, in plain clinical language, free of ambiguity?", true,
            "Hard to understand or ambiguous", "Understandable with effort", "Clear at first reading"),
        new("succinct", "Succinct", "Is it free of redundancy and needless detail?", true,
            "Verbose or repetitive", "Some redundancy", "As short as it can be without losing content"),
        new("synthesized", "Synthesized", "Does it integrate the data into clinical reasoning rather than list it?", true,
            "A list of facts with no synthesis", "Some synthesis", "Integrates findings into a coherent assessment"),
        new("stigmatizing", "Free of stigmatizing language", "Is it free of stigmatizing or biased language about the patient?", true,
            "Contains stigmatizing language", "Wording that could be read as stigmatizing", "No stigmatizing language"),
        new(Harm, "Potential for harm", "If a clinician acted on it, how likely and how severe would harm to the patient be?", false,
            "No potential for harm", "Could lead to moderate harm", "Likely to lead to severe harm"),
    ];

    public static RubricDimension? Find(string key) => Dimensions.FirstOrDefault(d => d.Key == key);
}
