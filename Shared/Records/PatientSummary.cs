namespace ClinicianPortal.Shared.Records;

/// <summary>
/// The de-identified demographics of a patient: a keyed pseudonym instead of names and identifiers,
/// a date-shifted birth date (null when the patient is over 89, whose age is reported as "90+"),
/// administrative sex and the state (the only address element Safe Harbor keeps).
/// </summary>
public sealed record PatientSummary
{
    public required string Id { get; init; }
    public required string Sex { get; init; }
    public DateOnly? BirthDate { get; init; }
    public DateOnly? DeceasedDate { get; init; }
    public string? State { get; init; }
    /// <summary>Age in years at death or today, capped: over 89 is reported as 90 with <see cref="IsOver89"/>.</summary>
    public int? Age { get; init; }
    public bool IsOver89 { get; init; }
    /// <summary>The de-identified Patient resource as JSON.</summary>
    public required string SourceJson { get; init; }

    /// <summary>Age as shown to users: "90+" above 89, per HIPAA Safe Harbor.</summary>
    public string AgeText => IsOver89 ? "90+" : Age?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown";

    /// <summary>Ten-year age band used for filtering ("40-49", "90+").</summary>
    public string AgeBand => IsOver89 ? "90+" : Age is int a ? $"{a / 10 * 10}-{a / 10 * 10 + 9}" : "unknown";
}
