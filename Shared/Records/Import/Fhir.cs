using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClinicianPortal.Shared.Records.Import;

/// <summary>Small typed reads over FHIR JSON (System.Text.Json nodes): strings, codes, quantities, dates.</summary>
internal static class Fhir
{
    /// <summary>Compact JSON without HTML-style escaping ("+01:00" stays readable); it is shown as text, never as markup.</summary>
    public static readonly JsonSerializerOptions CompactJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string? Str(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static double? Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;

    /// <summary>A child element, or null when the node is not an object.</summary>
    public static JsonNode? Get(JsonNode? node, string name) => node is JsonObject o ? o[name] : null;

    public static IEnumerable<JsonObject> Objects(JsonNode? node) => node switch
    {
        JsonArray a => a.OfType<JsonObject>(),
        JsonObject o => [o],
        _ => [],
    };

    public static IReadOnlyList<Coding> Codings(JsonNode? concept) =>
        Objects(concept?["coding"]).Select(c => new Coding(Str(c["system"]), Str(c["code"]), Str(c["display"]))).ToList();

    /// <summary>A CodeableConcept as text: its text, else the first display, else the first code.</summary>
    public static string? ConceptText(JsonNode? concept)
    {
        if (concept is not JsonObject o) return null;
        if (Str(o["text"]) is { Length: > 0 } text) return text;
        var codings = Codings(o);
        return codings.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrEmpty(d)) ?? codings.Select(c => c.Code).FirstOrDefault(c => c is not null);
    }

    /// <summary>The first code of the first CodeableConcept (category, status, interpretation...).</summary>
    public static string? FirstCode(JsonNode? conceptOrArray) =>
        Objects(conceptOrArray).SelectMany(c => Objects(c["coding"])).Select(c => Str(c["code"])).FirstOrDefault(c => c is not null);

    public static Quantity? ToQuantity(JsonNode? node) =>
        node is JsonObject q && Number(q["value"]) is double value ? new Quantity(value, Str(q["unit"]) ?? Str(q["code"]), Str(q["code"])) : null;

    /// <summary>A FHIR date/dateTime/instant as a point in time; partial dates take their first instant (UTC).</summary>
    public static DateTimeOffset? Date(JsonNode? node)
    {
        var s = Str(node);
        if (string.IsNullOrEmpty(s)) return null;
        string[] formats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd", "yyyy-MM", "yyyy"];
        return DateTimeOffset.TryParseExact(s, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;
    }

    public static DateOnly? DateOnlyOf(JsonNode? node) => Date(node) is { } d ? DateOnly.FromDateTime(d.DateTime) : null;

    /// <summary>The first of several alternative date elements that is present (effectiveDateTime, effectivePeriod.start...).</summary>
    public static DateTimeOffset? FirstDate(JsonObject o, params string[] paths)
    {
        foreach (var path in paths)
        {
            JsonNode? node = o;
            foreach (var part in path.Split('.')) node = node is JsonObject parent ? parent[part] : null;
            if (Date(node) is { } d) return d;
        }
        return null;
    }
}
