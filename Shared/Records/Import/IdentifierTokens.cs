using System.Text;

namespace ClinicianPortal.Shared.Records.Import;

/// <summary>What kind of identifier a keyed hash stands for: it picks the tag a scrubbed match gets.</summary>
internal enum TokenKind { Name, Location, Phone, Id }

/// <summary>
/// Turns identifying values (names, cities, street lines, phone numbers, identifier values) into the
/// normalized tokens that are hashed. The stored hash is "KIND:hash", so the scrubber can tag a match
/// ([NAME], [LOCATION]...) without ever storing the value.
/// </summary>
internal static class IdentifierTokens
{
    /// <summary>The longest phrase (in words) matched against hashes, e.g. a street line or a full name.</summary>
    public const int MaxPhraseWords = 5;

    public static string Tag(TokenKind kind) => kind switch
    {
        TokenKind.Name => "[NAME]",
        TokenKind.Location => "[LOCATION]",
        TokenKind.Phone => "[PHONE]",
        _ => "[ID]",
    };

    public static string Stored(TokenKind kind, string hash) => kind.ToString().ToUpperInvariant() + ":" + hash;

    public static bool TryParseStored(string stored, out TokenKind kind, out string hash)
    {
        var colon = stored.IndexOf(':', StringComparison.Ordinal);
        hash = colon < 0 ? "" : stored[(colon + 1)..];
        return Enum.TryParse(colon < 0 ? "" : stored[..colon], ignoreCase: true, out kind) && hash.Length > 0;
    }

    /// <summary>
    /// Normalized tokens of a name such as "Sumiko254 Wexford-Smythe": each word, each word without the
    /// digits Synthea appends to names, each part of a hyphenated name, and the whole name as a phrase.
    /// </summary>
    public static IEnumerable<string> NameTokens(string value)
    {
        var words = value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        foreach (var raw in words)
        {
            var parts = raw.Contains('-', StringComparison.Ordinal) ? [raw, .. raw.Split('-', StringSplitOptions.RemoveEmptyEntries)] : new[] { raw };
            foreach (var part in parts)
            {
                var word = Compact(part);
                if (word.Length >= 2) yield return word;
                var letters = new string(word.Where(char.IsLetter).ToArray());
                if (letters.Length >= 2 && letters != word) yield return letters;
            }
        }
        if (words.Length > 1 && Phrase(value) is { Length: >= 3 } phrase) yield return phrase;
    }

    /// <summary>A place (a city, a street line, a postal code) as one normalized phrase.</summary>
    public static IEnumerable<string> PlaceTokens(string value)
    {
        var phrase = Phrase(value);
        if (phrase.Length >= 3) yield return phrase;
    }

    public static string? PhoneToken(string value)
    {
        var digits = new string(value.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 11 && digits[0] == '1') digits = digits[1..];
        return digits.Length >= 7 ? digits : null;
    }

    public static string? IdToken(string value)
    {
        var id = Compact(value);
        return id.Length >= 4 ? id : null;
    }

    /// <summary>Lower-case words of letters and digits joined by single spaces ("W. Concord" → "w concord").</summary>
    public static string Phrase(string value) => string.Join(' ', Words(value));

    /// <summary>Letters and digits only, lower case ("999-94-5397" → "999945397").</summary>
    public static string Compact(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value.Normalize(NormalizationForm.FormD))
        {
            if (char.IsLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    private static IEnumerable<string> Words(string value) =>
        value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(Compact)
            .Where(w => w.Length > 0);
}
