using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClinicianPortal.Shared.Records.Import;

/// <summary>One resource as read from the file, before anything is checked or changed.</summary>
/// <param name="Where">Its position for messages: "entry 12 (Observation)" or "line 40 (Condition)".</param>
/// <param name="FullUrl">The Bundle entry's fullUrl, if any (urn:uuid references resolve through it).</param>
internal sealed record RawResource(string Where, string ResourceType, string? Id, string? FullUrl, JsonObject Json);

/// <summary>
/// Detects and parses the three shapes a FHIR R4 file comes in: a JSON Bundle (transaction, batch,
/// collection, searchset, document), bulk-export NDJSON (one resource per line) or one bare resource.
/// Malformed JSON is reported with its line and position, never with the text around it (it may be PHI).
/// </summary>
internal static class FhirFileReader
{
    private static readonly string[] BundleTypes = ["transaction", "batch", "collection", "searchset", "document"];
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    public static IReadOnlyList<RawResource> Read(string sourceName, byte[] content)
    {
        var text = content.AsSpan();
        if (text.StartsWith(Encoding.UTF8.Preamble)) text = text[Encoding.UTF8.Preamble.Length..];
        if (text.Trim((byte)' ').Trim("\r\n\t"u8).IsEmpty) throw new ImportException(sourceName, "the file is empty");

        if (sourceName.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase) || LooksLikeNdjson(text))
            return ReadNdjson(sourceName, text);

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, NodeOptions, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw Malformed(sourceName, e, lineOffset: 0, what: null);
        }
        if (root is not JsonObject obj)
            throw new ImportException(sourceName, "the file is not a FHIR resource: a JSON object was expected");

        var type = ResourceType(sourceName, obj, "the file");
        return type == "Bundle" ? ReadBundle(sourceName, obj) : [new RawResource($"resource ({type})", type, Id(obj), null, obj)];
    }

    private static List<RawResource> ReadBundle(string sourceName, JsonObject bundle)
    {
        var bundleType = bundle["type"] is JsonValue v && v.TryGetValue(out string? t) ? t : null;
        if (bundleType is null || !BundleTypes.Contains(bundleType))
            throw new ImportException(sourceName, $"Bundle.type must be one of {string.Join(", ", BundleTypes)}", "the Bundle", "type");
        if (bundle["entry"] is not (JsonArray or null))
            throw new ImportException(sourceName, "Bundle.entry must be an array", "the Bundle", "entry");

        var resources = new List<RawResource>();
        var entries = bundle["entry"] as JsonArray ?? [];
        for (var i = 0; i < entries.Count; i++)
        {
            var where = $"entry {i + 1}";
            if (entries[i] is not JsonObject entry) throw new ImportException(sourceName, "a Bundle entry must be an object", where);
            // A transaction may delete things: there is nothing to import from such an entry.
            if (entry["resource"] is null) continue;
            if (entry["resource"] is not JsonObject resource) throw new ImportException(sourceName, "entry.resource must be an object", where, "resource");
            var type = ResourceType(sourceName, resource, where);
            var fullUrl = entry["fullUrl"] is JsonValue fu && fu.TryGetValue(out string? u) ? u : null;
            resources.Add(new RawResource($"{where} ({type})", type, Id(resource), fullUrl, resource));
        }
        return resources;
    }

    private static List<RawResource> ReadNdjson(string sourceName, ReadOnlySpan<byte> text)
    {
        var resources = new List<RawResource>();
        var line = 0;
        while (!text.IsEmpty)
        {
            line++;
            var end = text.IndexOf((byte)'\n');
            var current = end < 0 ? text : text[..end];
            text = end < 0 ? [] : text[(end + 1)..];
            if (current.Trim(" \t\r"u8).IsEmpty) continue;

            var where = $"line {line}";
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(current, NodeOptions, DocumentOptions);
            }
            catch (JsonException e)
            {
                throw Malformed(sourceName, e, line - 1, where);
            }
            if (node is not JsonObject resource) throw new ImportException(sourceName, "each NDJSON line must be one JSON object", where);
            var type = ResourceType(sourceName, resource, where);
            if (type == "Bundle") throw new ImportException(sourceName, "a Bundle cannot be a line of an NDJSON file", $"{where} (Bundle)");
            resources.Add(new RawResource($"{where} ({type})", type, Id(resource), null, resource));
        }
        return resources;
    }

    /// <summary>More than one line, and the first non-blank line is a complete JSON object by itself.</summary>
    private static bool LooksLikeNdjson(ReadOnlySpan<byte> text)
    {
        text = text.TrimStart(" \t\r\n"u8);
        var end = text.IndexOf((byte)'\n');
        if (end < 0 || text[(end + 1)..].Trim(" \t\r\n"u8).IsEmpty) return false;
        var first = text[..end].Trim(" \t\r"u8);
        if (first.IsEmpty || first[0] != (byte)'{' || first[^1] != (byte)'}') return false;
        try
        {
            using var _ = JsonDocument.Parse(first.ToArray(), DocumentOptions);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string ResourceType(string sourceName, JsonObject resource, string where)
    {
        if (resource["resourceType"] is JsonValue v && v.TryGetValue(out string? type) && IsTypeName(type)) return type;
        throw new ImportException(sourceName, "resourceType is missing or not a FHIR type name", where, "resourceType");
    }

    private static string? Id(JsonObject resource) => resource["id"] is JsonValue v && v.TryGetValue(out string? id) ? id : null;

    public static bool IsTypeName(string? s) =>
        !string.IsNullOrEmpty(s) && s.Length <= 64 && char.IsAsciiLetterUpper(s[0]) && s.All(char.IsAsciiLetter);

    private static ImportException Malformed(string sourceName, JsonException e, long lineOffset, string? what)
    {
        // Only the position: the exception's own message may quote the offending text.
        var line = (e.LineNumber ?? 0) + 1 + lineOffset;
        var position = (e.BytePositionInLine ?? 0) + 1;
        return new ImportException(sourceName, $"malformed JSON at line {line}, position {position}", what);
    }
}
