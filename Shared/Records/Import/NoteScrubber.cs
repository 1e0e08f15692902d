using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ClinicianPortal.Shared.Records.Import;

/// <summary>What the scrubber knows about the patient a text belongs to.</summary>
/// <param name="ShiftDays">The patient's date shift, applied to dates written in the text.</param>
/// <param name="KnownTokens">Hash → kind of the patient's (and practitioners') identifying tokens.</param>
/// <param name="Hash">The keyed token hash (<see cref="Pseudonyms.TokenHasher"/>).</param>
internal sealed record ScrubContext(int ShiftDays, IReadOnlyDictionary<string, TokenKind> KnownTokens, Func<string, string> Hash);

/// <summary>
/// Removes Safe Harbor identifiers from free text (clinical notes, annotations): patterns first
/// (e-mails, URLs, IP addresses, SSNs, phone and fax numbers, labelled identifiers, street addresses,
/// ZIP codes), dates shifted like the rest of the record, ages over 89 folded into "90+", then every
/// word and short phrase whose keyed hash is a known name, place or identifier of the patient or of a
/// practitioner. Matches become bracketed tags ([NAME], [PHONE]...), so the reader sees that something
/// was there.
/// </summary>
internal static partial class NoteScrubber
{
    private static readonly string[] MonthNames = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames[..12];

    public static string Scrub(string text, ScrubContext context)
    {
        text = Email().Replace(text, "[EMAIL]");
        text = Url().Replace(text, "[URL]");
        text = IpAddress().Replace(text, "[IP]");
        text = Ssn().Replace(text, "[SSN]");
        text = IsoDate().Replace(text, m => ShiftIso(m, context.ShiftDays));
        text = UsDate().Replace(text, m => ShiftUs(m, context.ShiftDays));
        text = WrittenDate().Replace(text, m => ShiftWritten(m, context.ShiftDays));
        text = LabelledId().Replace(text, m => m.Groups["label"].Value.TrimEnd() + " [ID]");
        text = Phone().Replace(text, "[PHONE]");
        text = StreetAddress().Replace(text, "[ADDRESS]");
        text = Zip().Replace(text, m => m.Groups["state"].Value + "[ZIP]");
        text = LongNumber().Replace(text, "[ID]");
        text = MixedId().Replace(text, "[ID]");
        text = OldAge().Replace(text, FoldAge);
        text = TitledName().Replace(text, m => m.Groups["title"].Value + " [NAME]");
        text = KnownTokens(text, context);
        // Synthea appends digits to every generated name ("Sumiko254"): a capitalized word with a numeric
        // tail is a name even when no hash is known for it.
        return NumberedName().Replace(text, "[NAME]");
    }

    /// <summary>Replaces each word or phrase (up to a few words) whose keyed hash is known.</summary>
    private static string KnownTokens(string text, ScrubContext context)
    {
        var known = context.KnownTokens;
        if (known.Count == 0) return text;
        var words = Word().Matches(text);
        if (words.Count == 0) return text;
        var normalized = new string[words.Count];
        // "Jonathan's" is Jonathan.
        for (var i = 0; i < words.Count; i++) normalized[i] = IdentifierTokens.Compact(Possessive().Replace(words[i].Value, ""));

        var sb = new StringBuilder(text.Length);
        var copied = 0;
        for (var i = 0; i < words.Count;)
        {
            var matched = 0;
            var kind = TokenKind.Name;
            // Multi-word names, places and street lines start with a capital or a house number; checking
            // only those keeps the number of hashes close to one per word.
            var first = words[i].Value[0];
            var longest = char.IsUpper(first) || char.IsDigit(first) ? Math.Min(IdentifierTokens.MaxPhraseWords, words.Count - i) : 1;
            for (var n = longest; n >= 1 && matched == 0; n--)
            {
                var phrase = n == 1 ? normalized[i] : string.Join(' ', normalized, i, n);
                if (phrase.Length < 2) continue;
                if (known.TryGetValue(context.Hash(phrase), out kind)) matched = n;
            }
            if (matched == 0) { i++; continue; }
            var start = words[i].Index;
            var end = words[i + matched - 1].Index + words[i + matched - 1].Length;
            sb.Append(text, copied, start - copied).Append(IdentifierTokens.Tag(kind));
            copied = end;
            i += matched;
        }
        return sb.Append(text, copied, text.Length - copied).ToString();
    }

    private static string ShiftIso(Match m, int days)
    {
        if (!DateOnly.TryParseExact(m.Groups["date"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            return "[DATE]";
        return d.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + m.Groups["rest"].Value;
    }

    private static string ShiftUs(Match m, int days)
    {
        var year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
        if (m.Groups["y"].Value.Length == 2) year += year > 30 ? 1900 : 2000;
        var month = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
        var day = int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return "[DATE]";
        return new DateOnly(year, month, day).AddDays(days).ToString("MM/dd/yyyy", CultureInfo.InvariantCulture);
    }

    private static string ShiftWritten(Match m, int days)
    {
        var month = Array.FindIndex(MonthNames, n => n.StartsWith(m.Groups["month"].Value[..3], StringComparison.OrdinalIgnoreCase)) + 1;
        var year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
        var day = int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
        if (month < 1 || day < 1 || day > DateTime.DaysInMonth(year, month)) return "[DATE]";
        return new DateOnly(year, month, day).AddDays(days).ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);
    }

    private static string FoldAge(Match m) =>
        int.Parse(m.Groups["age"].Value, CultureInfo.InvariantCulture) > 89 ? "90+" + m.Groups["unit"].Value : m.Value;

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")]
    private static partial Regex Email();

    [GeneratedRegex(@"\b(?:(?:https?|ftp)://|www\.)[^\s<>""]+", RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    [GeneratedRegex(@"\b(?:\d{1,3}\.){3}\d{1,3}\b|\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b")]
    private static partial Regex IpAddress();

    [GeneratedRegex(@"\b\d{3}-\d{2}-\d{4}\b")]
    private static partial Regex Ssn();

    [GeneratedRegex(@"\b(?<date>\d{4}-\d{2}-\d{2})(?<rest>T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+\-]\d{2}:?\d{2})?)?\b")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\b(?<m>\d{1,2})/(?<d>\d{1,2})/(?<y>\d{4}|\d{2})\b")]
    private static partial Regex UsDate();

    [GeneratedRegex(@"\b(?<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?<y>\d{4})\b", RegexOptions.IgnoreCase)]
    private static partial Regex WrittenDate();

    // The label stays (it says what was there); the value goes.
    [GeneratedRegex(@"\b(?<label>(?:MRN|medical record(?: number)?|account(?: number)?|acct|member(?: id)?|policy(?: number)?|health plan(?: (?:id|number))?|beneficiary(?: number)?|insurance(?: id| number)?|licen[cs]e(?: number| no\.?)?|driver'?s licen[cs]e|(?-i:DL)|passport(?: number| no\.?)?|certificate(?: number)?|serial(?: number| no\.?)?|device(?: id| identifier)?|(?-i:VIN)|vehicle(?: id| identification number)?|(?:licen[cs]e )?plate(?: number)?|(?-i:ID)|identifier)\b\s*(?:#|no\.?|number)?\s*[:=#]?)\s*(?=[A-Za-z0-9\-]*\d)[A-Za-z0-9][A-Za-z0-9\-]{3,}", RegexOptions.IgnoreCase)]
    private static partial Regex LabelledId();

    [GeneratedRegex(@"(?<![\w\-])(?:\+?1[\s.\-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.\-])\d{3}[\s.\-]\d{4}\b|\b\d{3}\.\d{3}\.\d{4}\b")]
    private static partial Regex Phone();

    [GeneratedRegex(@"\b\d{1,6}\s+(?:[A-Z][A-Za-z']+\s+){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Landing|Overpass|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Trail|Trl|Run|Crossing|Loop|Gateway|Heights|Park|Ridge|Mill|Mills|Station|Village|Path|Track|Manor|Alley|Junction|Vista|Knoll|Grove|Harbor|Hill|Hills|Point|Port|Row|Walk|Wall|Green|Gardens|Camp|Estates|Fork|Forge|Glen|Haven|Light|Lock|Meadow|Meadows|Pass|Plaza|Ramp|Ranch|Shore|Spring|Springs|Spur|Summit|Throughway|Tunnel|Turnpike|Union|Valley|Viaduct|View|Ville|Ways|Wells)\b\.?(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|#)\.?\s*[A-Za-z0-9\-]+)?")]
    private static partial Regex StreetAddress();

    // A ZIP needs context: after a state (abbreviation or name) or a label, or the ZIP+4 form.
    [GeneratedRegex(@"(?<state>\b(?:(?-i:[A-Z]{2})|zip(?: code)?:?|postal code:?)\s+)\d{5}(?:-\d{4})?\b|\b\d{5}-\d{4}\b", RegexOptions.IgnoreCase)]
    private static partial Regex Zip();

    [GeneratedRegex(@"\b\d{7,}\b")]
    private static partial Regex LongNumber();

    // Identifier-like tokens: letters and at least four digits, or UUIDs.
    [GeneratedRegex(@"\b(?!\d{4}-\d{2}-\d{2}T)(?=[A-Za-z\-]*\d(?:[A-Za-z\-]*\d){3})(?=[0-9\-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\b")]
    private static partial Regex MixedId();

    [GeneratedRegex(@"(?<=\bage[ds]?\s+)(?<age>\d{2,3})\b(?<unit>)|\b(?<age>\d{2,3})(?<unit>[\s\-]*(?:years?|yrs?|y/o|yo)(?:[\s\-]*old)?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex OldAge();

    [GeneratedRegex(@"\b(?<title>(?:Dr|Mr|Mrs|Ms|Miss|Prof)\.?)\s+[A-Z][A-Za-z'\-]+(?:\s+[A-Z][A-Za-z'\-]+)?")]
    private static partial Regex TitledName();

    [GeneratedRegex(@"\b[A-Z][a-z]{2,}\d{1,3}\b")]
    private static partial Regex NumberedName();

    [GeneratedRegex(@"['’]s$")]
    private static partial Regex Possessive();

    [GeneratedRegex(@"[\p{L}\p{N}](?:[\p{L}\p{N}'.\-]*[\p{L}\p{N}])?")]
    private static partial Regex Word();
}
