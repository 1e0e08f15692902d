using System.Globalization;

namespace ClinicianPortal.Shared.Reasoning.Findings;

/// <summary>
/// Converts a result into the unit of a knowledge-base threshold: the common UCUM spellings, metric
/// prefixes of mass, molar and count concentrations, mass ↔ molar for a few analytes with a known
/// molar mass, and °F → °C. Anything else is refused with a reason: a wrong conversion is worse than none.
/// </summary>
public static class Units
{
    private enum Dimension { MassConcentration, MolarConcentration, CountConcentration, Rate, Temperature, Enzyme, MilliEnzyme }

    // Factor to the base unit of the dimension (g/L, mol/L, /L, /min, Cel, U/L, mIU/L).
    private static readonly Dictionary<string, (Dimension Dimension, double Factor)> Known = new(StringComparer.Ordinal)
    {
        ["g/l"] = (Dimension.MassConcentration, 1), ["g/dl"] = (Dimension.MassConcentration, 10),
        ["mg/dl"] = (Dimension.MassConcentration, 1e-2), ["mg/l"] = (Dimension.MassConcentration, 1e-3),
        ["mg/ml"] = (Dimension.MassConcentration, 1), ["ug/ml"] = (Dimension.MassConcentration, 1e-3),
        ["ug/dl"] = (Dimension.MassConcentration, 1e-5), ["ug/l"] = (Dimension.MassConcentration, 1e-6),
        ["ng/ml"] = (Dimension.MassConcentration, 1e-6), ["ng/dl"] = (Dimension.MassConcentration, 1e-8),
        ["ng/l"] = (Dimension.MassConcentration, 1e-9), ["pg/ml"] = (Dimension.MassConcentration, 1e-9),
        ["pg/l"] = (Dimension.MassConcentration, 1e-12),
        ["mol/l"] = (Dimension.MolarConcentration, 1), ["mmol/l"] = (Dimension.MolarConcentration, 1e-3),
        ["umol/l"] = (Dimension.MolarConcentration, 1e-6), ["nmol/l"] = (Dimension.MolarConcentration, 1e-9),
        ["pmol/l"] = (Dimension.MolarConcentration, 1e-12),
        ["10*3/ul"] = (Dimension.CountConcentration, 1e9), ["10*9/l"] = (Dimension.CountConcentration, 1e9),
        ["10*6/ul"] = (Dimension.CountConcentration, 1e12), ["10*12/l"] = (Dimension.CountConcentration, 1e12),
        ["/ul"] = (Dimension.CountConcentration, 1e6), ["/l"] = (Dimension.CountConcentration, 1),
        ["/min"] = (Dimension.Rate, 1), ["/h"] = (Dimension.Rate, 1.0 / 60),
        ["cel"] = (Dimension.Temperature, 1), ["[degf]"] = (Dimension.Temperature, double.NaN),
        ["u/l"] = (Dimension.Enzyme, 1), ["u/ml"] = (Dimension.Enzyme, 1000),
        ["m[iu]/l"] = (Dimension.MilliEnzyme, 1), ["u[iu]/ml"] = (Dimension.MilliEnzyme, 1),
    };

    // Spellings seen in real exports, mapped to the canonical (lower-case UCUM) form above.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["mmhg"] = "mm[hg]", ["mm hg"] = "mm[hg]",
        ["bpm"] = "/min", ["beats/min"] = "/min", ["breaths/min"] = "/min", ["{beats}/min"] = "/min", ["{breaths}/min"] = "/min",
        ["min-1"] = "/min", ["1/min"] = "/min", ["per min"] = "/min",
        ["c"] = "cel", ["°c"] = "cel", ["degc"] = "cel", ["deg c"] = "cel",
        ["f"] = "[degf]", ["°f"] = "[degf]", ["degf"] = "[degf]", ["deg f"] = "[degf]",
        ["k/ul"] = "10*3/ul", ["10^3/ul"] = "10*3/ul", ["x10e3/ul"] = "10*3/ul", ["thou/ul"] = "10*3/ul", ["10^9/l"] = "10*9/l",
        ["m/ul"] = "10*6/ul", ["10^6/ul"] = "10*6/ul", ["x10e6/ul"] = "10*6/ul", ["10^12/l"] = "10*12/l",
        ["iu/l"] = "u/l", ["[iu]/l"] = "u/l", ["miu/l"] = "m[iu]/l", ["uiu/ml"] = "u[iu]/ml", ["mu/l"] = "m[iu]/l",
        ["kg/m^2"] = "kg/m2", ["mm/hr"] = "mm/h", ["percent"] = "%",
        ["ml/min/1.73m2"] = "ml/min/{1.73_m2}", ["ml/min/1.73 m2"] = "ml/min/{1.73_m2}", ["ml/min/{1.73m2}"] = "ml/min/{1.73_m2}",
    };

    /// <summary>Molar masses (g/mol) of analytes reported in both mass and molar units, by LOINC code.</summary>
    private static readonly Dictionary<string, double> MolarMass = new(StringComparer.Ordinal)
    {
        // creatinine
        ["2160-0"] = 113.12, ["38483-4"] = 113.12, ["14682-9"] = 113.12,
        // glucose
        ["2345-7"] = 180.16, ["2339-0"] = 180.16, ["14749-6"] = 180.16, ["15074-8"] = 180.16,
        // bilirubin
        ["1975-2"] = 584.66, ["14631-6"] = 584.66,
        // calcium
        ["17861-6"] = 40.08, ["49765-1"] = 40.08, ["2000-8"] = 40.08,
        // urea nitrogen (as nitrogen, 2 × 14.007)
        ["3094-0"] = 28.014, ["6299-2"] = 28.014,
    };

    /// <summary>The same analyte reported under a mass and a molar LOINC code: a criterion on one also reads the other.</summary>
    private static readonly string[][] EquivalentCodes =
    [
        ["2160-0", "38483-4", "14682-9"],
        ["2345-7", "14749-6"],
        ["2339-0", "15074-8"],
        ["1975-2", "14631-6"],
        ["17861-6", "2000-8"],
        ["3094-0", "6299-2"],
    ];

    private static readonly Dictionary<string, string[]> EquivalentByCode =
        EquivalentCodes.SelectMany(group => group.Select(code => (code, group))).ToDictionary(p => p.code, p => p.group, StringComparer.Ordinal);

    /// <summary>The codes reporting the same analyte as <paramref name="loinc"/> (itself included).</summary>
    public static IReadOnlyList<string> Equivalents(string loinc) =>
        EquivalentByCode.TryGetValue(loinc, out var group) ? group : [loinc];

    /// <summary>Converts <paramref name="value"/> from <paramref name="from"/> to <paramref name="to"/>; false with a reason when it cannot be done safely.</summary>
    public static bool TryConvert(double value, string? from, string to, string? loinc, out double result, out string reason)
    {
        result = double.NaN;
        var target = Parse(to);
        if (string.IsNullOrWhiteSpace(from))
        {
            // A unitless result is only safe for a unitless scale (score, INR, pH, ratio).
            if (target.Unit is "" or "1" or "[ph]") { result = value; reason = ""; return true; }
            reason = "the result has no unit";
            return false;
        }
        var source = Parse(from);
        if (source.Annotation is { } a && target.Annotation is { } b && !string.Equals(a, b, StringComparison.Ordinal))
        {
            reason = $"{from} and {to} measure on different scales";
            return false;
        }
        if (source.Unit == target.Unit) { result = value; reason = ""; return true; }
        if (Known.TryGetValue(source.Unit, out var s) && Known.TryGetValue(target.Unit, out var t))
        {
            if (s.Dimension == t.Dimension)
            {
                result = s.Dimension == Dimension.Temperature
                    ? (source.Unit == "[degf]" ? (value - 32) * 5 / 9 : value * 9 / 5 + 32)
                    : value * s.Factor / t.Factor;
                reason = "";
                return true;
            }
            if (s.Dimension is Dimension.MassConcentration or Dimension.MolarConcentration
                && t.Dimension is Dimension.MassConcentration or Dimension.MolarConcentration)
            {
                if (loinc is not null && MolarMass.TryGetValue(loinc, out var grams))
                {
                    // value in g/L or mol/L of the base unit, then across with the molar mass.
                    var baseValue = value * s.Factor;
                    var converted = s.Dimension == Dimension.MassConcentration ? baseValue / grams : baseValue * grams;
                    result = converted / t.Factor;
                    reason = "";
                    return true;
                }
                reason = $"no molar mass known to convert {from} to {to}";
                return false;
            }
        }
        reason = $"cannot convert {from} to {to}";
        return false;
    }

    private readonly record struct ParsedUnit(string Unit, string? Annotation);

    /// <summary>Lower-case canonical unit without its annotation ("ng/mL{FEU}" → "ng/ml" + "feu").</summary>
    private static ParsedUnit Parse(string unit)
    {
        var text = unit.Trim().Replace('µ', 'u').Replace('μ', 'u').Replace("mcg", "ug", StringComparison.OrdinalIgnoreCase).ToLowerInvariant();
        string? annotation = null;
        if (!text.StartsWith("ml/min/{", StringComparison.Ordinal))
        {
            var open = text.IndexOf('{', StringComparison.Ordinal);
            var close = open >= 0 ? text.IndexOf('}', open) : -1;
            if (open >= 0 && close > open)
            {
                annotation = text[(open + 1)..close].Trim();
                text = (text[..open] + text[(close + 1)..]).Trim();
            }
        }
        if (text.EndsWith(" feu", StringComparison.Ordinal)) { annotation ??= "feu"; text = text[..^4]; }
        if (text.EndsWith(" ddu", StringComparison.Ordinal)) { annotation ??= "ddu"; text = text[..^4]; }
        if (Aliases.TryGetValue(text, out var canonical)) text = canonical;
        return new ParsedUnit(text, annotation);
    }

    /// <summary>A number as the explanation shows it.</summary>
    internal static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
