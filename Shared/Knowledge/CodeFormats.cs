using System.Text.RegularExpressions;

namespace ClinicianPortal.Shared.Knowledge;

/// <summary>Well-formedness of clinical codes, including the check digits of LOINC and SNOMED CT.</summary>
public static partial class CodeFormats
{
    /// <summary>ICD-10-CM: letter (U for special codes such as U07.1), two characters, optional dot and up to four more (I21, I21.4, S22.9XXA).</summary>
    public static bool IsIcd10Cm(string code) => Icd10Pattern().IsMatch(code);

    /// <summary>LOINC: 1–7 digits, a hyphen and the mod-10 (Luhn) check digit.</summary>
    public static bool IsLoinc(string code)
    {
        var m = LoincPattern().Match(code);
        return m.Success && LuhnCheckDigit(m.Groups[1].Value) == m.Groups[2].Value[0] - '0';
    }

    /// <summary>SNOMED CT concept id: 6–18 digits, partition 00 (core) or 10 (extension), Verhoeff check digit.</summary>
    public static bool IsSnomedConcept(string code)
    {
        if (!SnomedPattern().IsMatch(code)) return false;
        var partition = code.Substring(code.Length - 3, 2);
        return (partition == "00" || partition == "10") && VerhoeffValid(code);
    }

    /// <summary>UCUM unit text: printable, no spaces (mg/dL, mmol/L, mL/min/{1.73_m2}, 10*3/uL, Cel, %, 1).</summary>
    public static bool IsUcumLike(string unit) => UcumPattern().IsMatch(unit);

    /// <summary>A DOI as printed by publishers (10.prefix/suffix), without the resolver URL.</summary>
    public static bool IsDoi(string doi) => DoiPattern().IsMatch(doi);

    /// <summary>Stable ids: lower-case kebab case.</summary>
    public static bool IsKebabId(string id) => KebabPattern().IsMatch(id);

    private static int LuhnCheckDigit(string digits)
    {
        var sum = 0;
        for (int i = digits.Length - 1, pos = 1; i >= 0; i--, pos++)
        {
            var d = digits[i] - '0';
            if (pos % 2 == 1) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
        }
        return (10 - sum % 10) % 10;
    }

    private static readonly int[,] D =
    {
        {0,1,2,3,4,5,6,7,8,9},{1,2,3,4,0,6,7,8,9,5},{2,3,4,0,1,7,8,9,5,6},{3,4,0,1,2,8,9,5,6,7},{4,0,1,2,3,9,5,6,7,8},
        {5,9,8,7,6,0,4,3,2,1},{6,5,9,8,7,1,0,4,3,2},{7,6,5,9,8,2,1,0,4,3},{8,7,6,5,9,3,2,1,0,4},{9,8,7,6,5,4,3,2,1,0},
    };

    private static readonly int[,] P =
    {
        {0,1,2,3,4,5,6,7,8,9},{1,5,7,6,2,8,3,0,9,4},{5,8,0,3,7,9,6,1,4,2},{8,9,1,6,0,4,3,5,2,7},
        {9,4,5,3,1,2,6,8,7,0},{4,2,8,6,5,7,3,9,0,1},{2,7,9,3,8,0,6,4,1,5},{7,0,4,6,9,1,3,2,5,8},
    };

    private static bool VerhoeffValid(string digits)
    {
        var c = 0;
        for (var i = 0; i < digits.Length; i++)
            c = D[c, P[i % 8, digits[digits.Length - 1 - i] - '0']];
        return c == 0;
    }

    [GeneratedRegex(@"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")] private static partial Regex Icd10Pattern();
    [GeneratedRegex(@"^([0-9]{1,7})-([0-9])$")] private static partial Regex LoincPattern();
    [GeneratedRegex(@"^[1-9][0-9]{5,17}$")] private static partial Regex SnomedPattern();
    [GeneratedRegex(@"^[!-~]+$")] private static partial Regex UcumPattern();
    [GeneratedRegex(@"^10\.[0-9]{4,9}/\S+$")] private static partial Regex DoiPattern();
    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*$")] private static partial Regex KebabPattern();
}
