using System.Text.Json.Nodes;
using static ClinicianPortal.Shared.Records.Import.Fhir;

namespace ClinicianPortal.Shared.Records.Import;

/// <summary>
/// The de-identified demographics of a Patient. Age is computed from the real dates (at death, or
/// today) so it is exact; a patient over 89 is reported as 90+ and loses the birth date entirely.
/// </summary>
internal static class PatientSummaryMapper
{
    private const int OldestReportedAge = 89;

    /// <summary>Reads what needs the real dates; call before de-identifying the resource.</summary>
    public static (int? Age, bool Over89) AgeOf(JsonObject raw, DateOnly today)
    {
        if (DateOnlyOf(raw["birthDate"]) is not { } birth) return (null, false);
        var end = DateOnlyOf(raw["deceasedDateTime"]) ?? today;
        var age = end.Year - birth.Year - (end < birth.AddYears(end.Year - birth.Year) ? 1 : 0);
        return age > OldestReportedAge ? (OldestReportedAge + 1, true) : (Math.Max(age, 0), false);
    }

    /// <summary>Maps the already de-identified resource (dates shifted, identity removed).</summary>
    public static PatientSummary Map(JsonObject deidentified, (int? Age, bool Over89) age)
    {
        if (age.Over89) deidentified.Remove("birthDate");
        return new PatientSummary
        {
            Id = Str(deidentified["id"])!,
            Sex = Str(deidentified["gender"]) ?? "unknown",
            BirthDate = age.Over89 ? null : DateOnlyOf(deidentified["birthDate"]),
            DeceasedDate = DateOnlyOf(deidentified["deceasedDateTime"]),
            State = Objects(deidentified["address"]).Select(a => Str(a["state"])).FirstOrDefault(s => s is not null),
            Age = age.Age,
            IsOver89 = age.Over89,
            SourceJson = deidentified.ToJsonString(Fhir.CompactJson),
        };
    }
}
