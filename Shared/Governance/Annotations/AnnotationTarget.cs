namespace ClinicianPortal.Shared.Governance.Annotations;

/// <summary>What part of a case review an annotation is about (annotations.target).</summary>
public enum AnnotationTargetKind
{
    /// <summary>"summary/&lt;section key&gt;/&lt;n&gt;": the n-th sentence (from 1) of a summary section.</summary>
    SummarySentence,
    /// <summary>"differential/&lt;condition id&gt;": one entry of the differential.</summary>
    DifferentialEntry,
    /// <summary>"evidence/&lt;condition id&gt;/&lt;finding id&gt;": one finding weighed for or against one entry.</summary>
    EvidenceItem,
    /// <summary>"differential": the differential as a whole, e.g. a diagnosis it is missing.</summary>
    Differential,
    /// <summary>"summary": the summary as a whole, e.g. a problem it leaves out.</summary>
    Summary,
}

/// <summary>
/// The key of one statement of an AI output, stable across reviews of the same chart: an annotation is stored as
/// (audit record id, target key), and the case page shows a thread next to every statement with the same key.
/// Keys are lower-case ASCII paths; the parts are the ids the review itself uses (section keys, knowledge-base ids),
/// which never contain '/'.
/// </summary>
public sealed record AnnotationTarget
{
    public const int MaxKeyLength = 200;

    private AnnotationTarget(AnnotationTargetKind kind, string key, string? section, int? sentence, string? conditionId, string? findingId)
    {
        Kind = kind;
        Key = key;
        Section = section;
        Sentence = sentence;
        ConditionId = conditionId;
        FindingId = findingId;
    }

    public AnnotationTargetKind Kind { get; }
    /// <summary>The stored form, e.g. "differential/pulmonary-embolism".</summary>
    public string Key { get; }
    public string? Section { get; }
    /// <summary>The sentence's position in its section, from 1.</summary>
    public int? Sentence { get; }
    public string? ConditionId { get; }
    public string? FindingId { get; }

    public static AnnotationTarget WholeSummary { get; } = new(AnnotationTargetKind.Summary, "summary", null, null, null, null);
    public static AnnotationTarget WholeDifferential { get; } = new(AnnotationTargetKind.Differential, "differential", null, null, null, null);

    /// <param name="sentence">The sentence's position in its section, from 1.</param>
    public static AnnotationTarget SummarySentence(string section, int sentence)
    {
        if (sentence < 1) throw new ArgumentOutOfRangeException(nameof(sentence), sentence, "Sentences are numbered from 1.");
        return new(AnnotationTargetKind.SummarySentence, $"summary/{Part(section, nameof(section))}/{sentence}", section, sentence, null, null);
    }

    public static AnnotationTarget DifferentialEntry(string conditionId) =>
        new(AnnotationTargetKind.DifferentialEntry, $"differential/{Part(conditionId, nameof(conditionId))}", null, null, conditionId, null);

    public static AnnotationTarget EvidenceItem(string conditionId, string findingId) =>
        new(AnnotationTargetKind.EvidenceItem, $"evidence/{Part(conditionId, nameof(conditionId))}/{Part(findingId, nameof(findingId))}", null, null, conditionId, findingId);

    /// <summary>Reads a stored key; null (with the reason in <paramref name="error"/>) when it is not one of the documented forms.</summary>
    public static AnnotationTarget? TryParse(string? key, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(key)) return Fail("The target is empty.", out error);
        if (key.Length > MaxKeyLength) return Fail($"The target is longer than {MaxKeyLength} characters.", out error);
        var parts = key.Split('/');
        if (parts.Any(p => !IsPart(p))) return Fail($"'{key}' is not a target key: parts are lower-case letters, digits, '-', '_', '.' or ':'.", out error);
        switch (parts)
        {
            case ["summary"]: return WholeSummary;
            case ["differential"]: return WholeDifferential;
            case ["summary", var section, var n]:
                return int.TryParse(n, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sentence) && sentence >= 1 && n[0] != '0'
                    ? SummarySentence(section, sentence)
                    : Fail($"'{key}': the sentence number must be a whole number from 1.", out error);
            case ["differential", var condition]: return DifferentialEntry(condition);
            case ["evidence", var condition, var finding]: return EvidenceItem(condition, finding);
            default:
                return Fail($"'{key}' is not a target key: expected summary, summary/<section>/<n>, differential, differential/<condition> or evidence/<condition>/<finding>.", out error);
        }
    }

    public static AnnotationTarget Parse(string key) => TryParse(key, out var error) ?? throw new FormatException(error);

    public override string ToString() => Key;

    private static AnnotationTarget? Fail(string message, out string? error)
    {
        error = message;
        return null;
    }

    private static string Part(string value, string name) =>
        IsPart(value) ? value : throw new ArgumentException($"'{value}' cannot be part of a target key (lower-case letters, digits, '-', '_', '.', ':').", name);

    private static bool IsPart(string value) =>
        value.Length > 0 && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or ':');
}
