using System.Globalization;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Shared.Reasoning.Summary;

/// <summary>How the summary writes numbers, dates, spans, units and ages; the grounding check reads them back the same way.</summary>
public static class SummaryText
{
    public const double DaysPerYear = 365.25;
    public const double DaysPerMonth = 30.4375;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A measured value: at most two decimals, no thousands separator.</summary>
    public static string Number(double value) => value.ToString("0.##", Invariant);

    /// <summary>A rate, unsigned, to two significant figures or whole units.</summary>
    public static string Rate(double value)
    {
        var v = Math.Abs(value);
        return v.ToString(v >= 10 ? "0" : v >= 1 ? "0.#" : "0.##", Invariant);
    }

    /// <summary>The calendar date of an event as recorded (ISO 8601).</summary>
    public static string Date(DateTimeOffset time) => time.ToString("yyyy-MM-dd", Invariant);

    /// <summary>A duration in the unit a clinician would use.</summary>
    public static string Span(TimeSpan span)
    {
        var days = span.TotalDays;
        if (days >= 730) return (days / DaysPerYear).ToString("0.#", Invariant) + " years";
        if (days >= 60) return (days / DaysPerMonth).ToString("0", Invariant) + " months";
        if (days >= 2) return days.ToString("0", Invariant) + " days";
        var hours = Math.Max(1, Math.Round(span.TotalHours));
        return hours.ToString("0", Invariant) + (hours == 1 ? " hour" : " hours");
    }

    /// <summary>A UCUM unit as clinicians write it.</summary>
    public static string Unit(string? ucum) => ucum switch
    {
        null or "" or "1" or "{INR}" or "{ratio}" => "",
        "mL/min/{1.73_m2}" => "mL/min/1.73 m²",
        "mm[Hg]" => "mmHg",
        "Cel" => "°C",
        "kg/m2" => "kg/m²",
        "10*3/uL" => "×10³/µL",
        "10*9/L" => "×10⁹/L",
        "ng/mL{FEU}" => "ng/mL FEU",
        "{beats}/min" or "/min" => "/min",
        _ => ucum.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal),
    };

    /// <summary>"7.1 %" / "38 mL/min/1.73 m²" / "2.6" (unitless).</summary>
    public static string WithUnit(double value, string? ucum) =>
        Unit(ucum) is { Length: > 0 } u ? (u == "%" ? Number(value) + " %" : Number(value) + " " + u) : Number(value);

    /// <summary>Age as of a date: "90+" above 89 (Safe Harbor), from the shifted birth date when known.</summary>
    public static string Age(PatientSummary patient, DateTimeOffset asOf) => AgeYears(patient, asOf) switch
    {
        _ when patient.IsOver89 => "90+",
        > 89 => "90+",
        int years => years.ToString(Invariant),
        null => "unknown",
    };

    public static int? AgeYears(PatientSummary patient, DateTimeOffset asOf)
    {
        if (patient.BirthDate is not { } birth) return patient.Age;
        var on = DateOnly.FromDateTime(asOf.DateTime);
        var years = on.Year - birth.Year;
        if (on < birth.AddYears(years)) years--;
        return years;
    }

    /// <summary>"male", "female", or "patient" when the sex is not recorded.</summary>
    public static string Sex(PatientSummary patient) => patient.Sex.ToLowerInvariant() switch
    {
        "male" => "male",
        "female" => "female",
        "other" => "patient (sex: other)",
        _ => "patient",
    };

    /// <summary>A problem title inside a sentence: "Diabetes mellitus type 2" → "diabetes mellitus type 2", acronyms kept ("COPD").</summary>
    public static string InSentence(string title) =>
        title.Length > 1 && char.IsUpper(title[0]) && char.IsLower(title[1]) ? char.ToLowerInvariant(title[0]) + title[1..] : title;

    /// <summary>"a, b and c".</summary>
    public static string List(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };

    /// <summary>A display title without a trailing LOINC method description ("Glucose [Mass/volume] in ..." → "Glucose").</summary>
    public static string ShortTitle(string title)
    {
        var bracket = title.IndexOf(" [", StringComparison.Ordinal);
        return bracket > 0 ? title[..bracket] : title;
    }
}
