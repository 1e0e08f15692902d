namespace ClinicianPortal.Shared.Records.Synthetic;

/// <summary>
/// The clinical themes of the synthetic cohort. Patient n gets theme n mod 12, so any cohort of 12 or
/// more patients covers every theme; chronic themes carry comorbidities, acute themes end in an open
/// emergency encounter whose working diagnosis the manifest records (the chart does not state it).
/// </summary>
public static class CohortScenario
{
    public const string Type2Diabetes = "type2-diabetes";
    public const string ChronicKidneyDisease = "chronic-kidney-disease";
    public const string HeartFailure = "heart-failure";
    public const string Copd = "copd";
    public const string Hypertension = "hypertension";
    public const string AtrialFibrillation = "atrial-fibrillation";
    public const string AcuteCoronarySyndrome = "acute-coronary-syndrome";
    public const string Pneumonia = "community-acquired-pneumonia";
    public const string Sepsis = "sepsis";
    public const string PulmonaryEmbolism = "pulmonary-embolism";
    public const string AcuteKidneyInjury = "acute-kidney-injury";
    public const string UpperGiBleed = "upper-gi-bleed";

    public static IReadOnlyList<string> Chronic { get; } =
        [Type2Diabetes, ChronicKidneyDisease, HeartFailure, Copd, Hypertension, AtrialFibrillation];

    public static IReadOnlyList<string> Acute { get; } =
        [AcuteCoronarySyndrome, Pneumonia, Sepsis, PulmonaryEmbolism, AcuteKidneyInjury, UpperGiBleed];

    public static IReadOnlyList<string> All { get; } = [.. Chronic, .. Acute];

    public static bool IsAcute(string scenario) => Acute.Contains(scenario);
}
