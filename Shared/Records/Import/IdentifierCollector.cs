using System.Text.Json.Nodes;

namespace ClinicianPortal.Shared.Records.Import;

/// <summary>
/// Gathers the keyed hashes of identifying values seen in a file, before they are removed: names,
/// places, phone numbers and identifier values of each patient (keyed by pseudonym), and names of
/// practitioners (for every patient). They scrub this file's notes and are stored for later files.
/// </summary>
internal sealed class IdentifierCollector(Pseudonyms pseudonyms)
{
    private static readonly HashSet<string> Honorifics = ["mr", "mrs", "ms", "miss", "dr", "prof", "jr", "sr", "md", "phd", "rn", "np", "ii", "iii"];

    // Key "" holds the hashes that apply to every patient.
    private readonly Dictionary<string, Dictionary<string, TokenKind>> _byPatient = new(StringComparer.Ordinal);

    public void AddPatient(string pseudonym, JsonObject patient) => Walk(pseudonym, patient);

    public void AddPractitioner(JsonObject practitioner)
    {
        foreach (var name in Array(practitioner["name"])) AddHumanName("", name);
    }

    /// <summary>A person's name written as a reference display ("Dr. Liane379 Kunze215").</summary>
    public void AddDisplayName(string? pseudonym, string display) => AddNameText(pseudonym ?? "", display);

    /// <summary>Hash → kind for one patient: theirs plus the global ones.</summary>
    public IReadOnlyDictionary<string, TokenKind> For(string pseudonym)
    {
        var result = new Dictionary<string, TokenKind>(StringComparer.Ordinal);
        if (_byPatient.TryGetValue("", out var global)) foreach (var (h, k) in global) result[h] = k;
        if (_byPatient.TryGetValue(pseudonym, out var own)) foreach (var (h, k) in own) result[h] = k;
        return result;
    }

    public IReadOnlyList<IdentifierHash> ToHashes() =>
        _byPatient
            .SelectMany(p => p.Value.Select(h => new IdentifierHash(p.Key.Length == 0 ? null : p.Key, IdentifierTokens.Stored(h.Value, h.Key))))
            .OrderBy(h => h.PatientId ?? "", StringComparer.Ordinal).ThenBy(h => h.Hash, StringComparer.Ordinal)
            .ToList();

    /// <summary>Finds HumanNames, addresses, telecoms and identifiers wherever they sit (contact, extensions...).</summary>
    private void Walk(string owner, JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array) Walk(owner, item);
                break;
            case JsonObject o:
                if (o["family"] is not null || o["given"] is not null) AddHumanName(owner, o);
                if (o["city"] is not null || o["line"] is not null || o["postalCode"] is not null) AddAddress(owner, o);
                if (o["system"] is JsonValue sys && Text(o["value"]) is { } contact && sys.TryGetValue(out string? system) && system is "phone" or "fax" or "sms" or "pager" or "email" or "url" or "other")
                {
                    Add(owner, system is "email" or "url" or "other" ? TokenKind.Id : TokenKind.Phone,
                        system is "email" or "url" or "other" ? IdentifierTokens.IdToken(contact) : IdentifierTokens.PhoneToken(contact));
                }
                foreach (var identifier in Array(o["identifier"])) Add(owner, TokenKind.Id, Text(identifier["value"]) is { } v ? IdentifierTokens.IdToken(v) : null);
                // Names kept as plain strings in extensions, such as the mother's maiden name.
                if (Text(o["url"]) is { } url && url.EndsWith("mothersMaidenName", StringComparison.Ordinal) && Text(o["valueString"]) is { } maiden)
                    AddNameText(owner, maiden);
                foreach (var (_, child) in o) Walk(owner, child);
                break;
        }
    }

    private void AddHumanName(string owner, JsonObject name)
    {
        foreach (var given in Values(name["given"])) if (Text(given) is { } g) AddNameText(owner, g);
        if (Text(name["family"]) is { } family) AddNameText(owner, family);
        if (Text(name["text"]) is { } text) AddNameText(owner, text);
    }

    private void AddNameText(string owner, string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !Honorifics.Contains(IdentifierTokens.Compact(w)));
        var cleaned = string.Join(' ', words);
        foreach (var token in IdentifierTokens.NameTokens(cleaned)) Add(owner, TokenKind.Name, token);
    }

    private void AddAddress(string owner, JsonObject address)
    {
        foreach (var line in Values(address["line"])) if (Text(line) is { } l) foreach (var t in IdentifierTokens.PlaceTokens(l)) Add(owner, TokenKind.Location, t);
        foreach (var field in new[] { "city", "district", "postalCode" })
        {
            if (Text(address[field]) is { } value) foreach (var t in IdentifierTokens.PlaceTokens(value)) Add(owner, TokenKind.Location, t);
        }
    }

    private void Add(string owner, TokenKind kind, string? token)
    {
        if (string.IsNullOrEmpty(token)) return;
        if (!_byPatient.TryGetValue(owner, out var set)) _byPatient[owner] = set = new(StringComparer.Ordinal);
        set.TryAdd(pseudonyms.Token(token), kind);
    }

    private static IEnumerable<JsonObject> Array(JsonNode? node) => node switch
    {
        JsonArray a => a.OfType<JsonObject>(),
        JsonObject o => [o],
        _ => [],
    };

    private static IEnumerable<JsonNode?> Values(JsonNode? node) => node is JsonArray a ? a : [node];

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s) ? s : null;
}
