using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClinicianPortal.Shared.Governance.Audit;

/// <summary>
/// One JSON text per value: web (camelCase) serialization, object keys sorted ordinally at every level,
/// no whitespace. Two equal inputs give the same text, hence the same hash, whatever their property order.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(object? value)
    {
        var node = value switch
        {
            JsonNode n => n.DeepClone(),
            string json when LooksLikeJson(json) => JsonNode.Parse(json),
            _ => JsonSerializer.SerializeToNode(value, Options),
        };
        return Sorted(node)?.ToJsonString(Options) ?? "null";
    }

    // A string that is already a JSON object or array is taken as JSON, not as a JSON string.
    private static bool LooksLikeJson(string text) => text.TrimStart() is ['{' or '[', ..];

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        null => null,
        _ => node.DeepClone(),
    };
}
