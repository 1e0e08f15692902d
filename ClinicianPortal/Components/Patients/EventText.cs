using System.Globalization;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Components.Patients;

/// <summary>How an event's value, range and interpretation read on screen.</summary>
public static class EventText
{
    /// <summary>"7.2 mmol/L", "120/80 mm[Hg]" for a panel, or the text value; empty when there is none.</summary>
    public static string Value(ClinicalEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Value is { } q) return Quantity(q);
        if (!string.IsNullOrWhiteSpace(e.ValueText)) return e.ValueText;
        var parts = e.Components.Where(c => c.Value is not null).Select(c => c.Value!).ToList();
        if (parts.Count == 0) return "";
        // A blood pressure panel reads "120/80 mm[Hg]"; components in different units are listed.
        var sameUnit = parts.Select(p => p.Unit).Distinct().Count() == 1;
        return sameUnit
            ? string.Join("/", parts.Select(p => Number(p.Value))) + (parts[0].Unit is { } unit ? " " + unit : "")
            : string.Join(", ", parts.Select(Quantity));
    }

    public static string Quantity(Quantity q)
    {
        ArgumentNullException.ThrowIfNull(q);
        return string.IsNullOrEmpty(q.Unit) ? Number(q.Value) : $"{Number(q.Value)} {q.Unit}";
    }

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>"3.5–5.1", "≥ 60", or the range's text.</summary>
    public static string Range(ReferenceRange? range) => range switch
    {
        null => "",
        { Low: { } low, High: { } high } => $"{Number(low)}–{Number(high)}",
        { Low: { } low } => $"≥ {Number(low)}",
        { High: { } high } => $"≤ {Number(high)}",
        _ => range.Text ?? "",
    };

    /// <summary>The v3 interpretation code in words ("H" → "high").</summary>
    public static string Interpretation(string? code) => code?.ToUpperInvariant() switch
    {
        null or "" => "",
        "N" => "normal",
        "H" => "high",
        "HH" or "HU" => "critically high",
        "L" => "low",
        "LL" or "LU" => "critically low",
        "A" => "abnormal",
        "AA" => "critically abnormal",
        "POS" => "positive",
        "NEG" => "negative",
        _ => code,
    };

    public static bool IsAbnormal(string? interpretation) =>
        !string.IsNullOrEmpty(interpretation) && interpretation.ToUpperInvariant() is not ("N" or "NEG");

    // SNOMED CT "no known allergy" statements: recorded as AllergyIntolerance, but they say there is none.
    private static readonly HashSet<string> NoKnownAllergyCodes = ["716186003", "409137002", "428607008", "429625007"];

    /// <summary>An allergy entry that records the absence of allergies ("No known allergy"), not an allergy.</summary>
    public static bool IsNoKnownAllergy(ClinicalEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Codes.Any(c => c.System == Coding.Snomed && c.Code is not null && NoKnownAllergyCodes.Contains(c.Code));
    }

    public static string Date(DateTimeOffset? time) =>
        time?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "no date";

    /// <summary>A short name of the code system for display ("SNOMED CT", "LOINC").</summary>
    public static string SystemName(string? system) => system switch
    {
        Coding.Snomed => "SNOMED CT",
        Coding.Loinc => "LOINC",
        Coding.RxNorm => "RxNorm",
        Coding.Icd10 => "ICD-10-CM",
        Coding.Ucum => "UCUM",
        "http://hl7.org/fhir/sid/cvx" => "CVX",
        null or "" => "(no system)",
        _ => system,
    };
}
