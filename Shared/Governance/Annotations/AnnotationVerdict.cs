namespace ClinicianPortal.Shared.Governance.Annotations;

/// <summary>
/// What a physician or care-team member says of one AI statement; stored in annotations.verdict in lower case.
/// Disagree, missing and unsafe stay open until someone resolves them.
/// </summary>
public enum AnnotationVerdict { Agree, Disagree, Missing, Unsafe, Helpful }

public static class AnnotationVerdicts
{
    public static string Name(AnnotationVerdict verdict) => verdict.ToString().ToLowerInvariant();

    public static AnnotationVerdict? Parse(string? name) =>
        Enum.TryParse<AnnotationVerdict>(name, ignoreCase: true, out var verdict) && Enum.IsDefined(verdict) ? verdict : null;

    /// <summary>Verdicts that ask for follow-up and are listed until resolved.</summary>
    public static bool NeedsFollowUp(AnnotationVerdict verdict) => verdict is AnnotationVerdict.Disagree or AnnotationVerdict.Missing or AnnotationVerdict.Unsafe;
}
