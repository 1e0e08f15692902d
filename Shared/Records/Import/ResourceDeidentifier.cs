using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ClinicianPortal.Shared.Records.Import;

/// <summary>How one resource is de-identified: its pseudonym, its patient's date shift and notes scrubber.</summary>
/// <param name="ResolveReference">Maps a Reference.reference to its pseudonymous form, or null to drop the reference; throws for a bad one.</param>
internal sealed record DeidentifyContext(
    string SourceName,
    string Where,
    string Pseudonym,
    int ShiftDays,
    Func<string, string> ScrubText,
    Func<string, string, string?> ResolveReference);

/// <summary>
/// Walks a kept resource's JSON generically and applies Safe Harbor: identity-bearing elements removed
/// wherever they appear (names, telecom, photo, contact, identifiers, narrative, address below state,
/// extensions outside an allowlist, practitioner/organization/location references, reference displays),
/// every date and dateTime shifted by the patient's offset, free text scrubbed, ids and references
/// replaced by pseudonyms. Returns the text of plain-text attachments after scrubbing (clinical notes).
/// </summary>
internal static partial class ResourceDeidentifier
{
    private static readonly HashSet<string> AllowedExtensions =
    [
        "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
        "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity",
        "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex",
    ];

    // Elements that identify a person or carry unchecked text, removed at any depth.
    private static readonly HashSet<string> RemovedElements =
    [
        "identifier", "masterIdentifier", "telecom", "photo", "contact", "meta", "implicitRules", "contained",
        "link", "generalPractitioner", "managingOrganization", "authorString", "url", "hash", "signature",
        "securityLabel", "modifierExtension",
    ];

    // Free text that may mention the patient: scrubbed like notes.
    private static readonly HashSet<string> FreeText =
    [
        "valueString", "description", "comment", "conclusion", "patientInstruction", "title", "outcomeString",
    ];

    // Elements whose value is a FHIR date, dateTime or instant whatever its precision.
    private static readonly HashSet<string> DateElements =
    [
        "date", "start", "end", "issued", "authoredOn", "recorded", "created", "lastOccurrence", "dateAsserted",
        "whenHandedOver", "whenPrepared", "occurrenceDateTime", "expirationDate", "birthDate", "recordedDate",
    ];

    public static List<string> Apply(JsonObject resource, DeidentifyContext context)
    {
        var notes = new List<string>();
        resource["id"] = context.Pseudonym;
        Walk(resource, "", context, notes, top: true);
        return notes;
    }

    private static void Walk(JsonObject o, string path, DeidentifyContext context, List<string> notes, bool top = false)
    {
        // Narrative (text.div) is generated markup full of names; CodeableConcept.text is a plain string and stays.
        if (o["text"] is JsonObject) o.Remove("text");
        if (!top) o.Remove("id");
        foreach (var name in RemovedElements) o.Remove(name);
        // "_element" holds extensions of a primitive; "...Identifier" elements (preAdmissionIdentifier...) are identifiers.
        foreach (var name in o.Select(p => p.Key).Where(k => k.StartsWith('_') || k.EndsWith("Identifier", StringComparison.Ordinal)).ToList()) o.Remove(name);
        if (o["name"] is JsonObject or JsonArray) o.Remove("name");

        if (o["extension"] is JsonArray extensions)
        {
            // Allowlisted extensions are coded demographics: kept whole, nothing inside them to walk.
            var keep = extensions.OfType<JsonObject>()
                .Where(e => e["url"] is JsonValue u && u.TryGetValue(out string? url) && AllowedExtensions.Contains(url))
                .Select(e => e.DeepClone()).ToList();
            o.Remove("extension");
            if (keep.Count > 0) o["extension"] = new JsonArray([.. keep]);
        }
        if (o["address"] is { } address) o["address"] = KeepStateAndCountry(address);

        if (o["data"] is JsonValue) Attachment(o, path, context, notes);

        foreach (var name in o.Select(p => p.Key).ToList())
        {
            if (name is "extension") continue;
            var child = o[name];
            var childPath = path.Length == 0 ? name : path + "." + name;
            switch (child)
            {
                case JsonObject co:
                    if (IsReference(co) && !Reference(co, childPath, context)) { o.Remove(name); break; }
                    Walk(co, childPath, context, notes);
                    if (co.Count == 0) o.Remove(name);
                    break;
                case JsonArray array:
                    WalkArray(array, name, childPath, context, notes);
                    if (array.Count == 0) o.Remove(name);
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    var text = value.GetValue<string>();
                    if (name == "reference") break;
                    if (IsDateElement(name) || FullDate().IsMatch(text)) o[name] = ShiftDate(text, name, childPath, context);
                    else if (FreeText.Contains(name) || (name == "text" && IsFreeTextParent(path))) o[name] = context.ScrubText(text);
                    break;
            }
        }
    }

    private static void WalkArray(JsonArray array, string name, string path, DeidentifyContext context, List<string> notes)
    {
        for (var i = 0; i < array.Count;)
        {
            var itemPath = $"{path}[{i}]";
            var remove = false;
            switch (array[i])
            {
                case JsonObject item:
                    remove = IsReference(item) && !Reference(item, itemPath, context);
                    if (remove) break;
                    // Annotation and Dosage texts are free text; their paths end with the element name.
                    Walk(item, name is "note" or "dosageInstruction" or "dosage" ? path : itemPath, context, notes);
                    remove = item.Count == 0;
                    break;
                case JsonArray nested:
                    WalkArray(nested, name, itemPath, context, notes);
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    var text = value.GetValue<string>();
                    if (IsDateElement(name) || FullDate().IsMatch(text)) array[i] = ShiftDate(text, name, itemPath, context);
                    else if (FreeText.Contains(name)) array[i] = context.ScrubText(text);
                    break;
            }
            if (remove) array.RemoveAt(i);
            else i++;
        }
    }

    /// <summary>A Reference: rewritten to the pseudonymous target, or emptied of identity. False: drop it.</summary>
    private static bool Reference(JsonObject reference, string path, DeidentifyContext context)
    {
        reference.Remove("display");
        reference.Remove("identifier");
        if (reference["reference"] is not JsonValue r || !r.TryGetValue(out string? raw)) return reference.Count > 0;
        var rewritten = context.ResolveReference(raw, path + ".reference");
        if (rewritten is null) return false;
        reference["reference"] = rewritten;
        return true;
    }

    /// <summary>An object shaped like a Reference (reference and/or display, no coding).</summary>
    private static bool IsReference(JsonObject o) =>
        o["reference"] is JsonValue || (o["display"] is JsonValue && o["system"] is null && o["code"] is null && o["coding"] is null && o.Count <= 3);

    private static JsonNode? KeepStateAndCountry(JsonNode address)
    {
        static JsonObject Keep(JsonObject a)
        {
            var kept = new JsonObject();
            foreach (var field in new[] { "state", "country" }) if (a[field] is { } v) kept[field] = v.DeepClone();
            return kept;
        }
        return address switch
        {
            JsonObject o => Keep(o),
            JsonArray a => new JsonArray([.. a.OfType<JsonObject>().Select(x => (JsonNode)Keep(x))]),
            _ => null,
        };
    }

    /// <summary>
    /// Plain-text attachments are notes (DocumentReference content, DiagnosticReport presentedForm): decoded,
    /// scrubbed, re-encoded. Anything else (images, PDFs, data of no stated type) is dropped.
    /// </summary>
    private static void Attachment(JsonObject attachment, string path, DeidentifyContext context, List<string> notes)
    {
        var contentType = attachment["contentType"] is JsonValue c && c.TryGetValue(out string? ct) ? ct : "";
        var data = Fhir.Str(attachment["data"]);
        attachment.Remove("data");
        attachment.Remove("size");
        if (data is null || !contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase)) return;
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(data);
        }
        catch (FormatException)
        {
            throw new ImportException(context.SourceName, "is not valid base64", context.Where, path + ".data");
        }
        var scrubbed = context.ScrubText(Encoding.UTF8.GetString(bytes));
        notes.Add(scrubbed);
        attachment["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(scrubbed));
    }

    private static bool IsFreeTextParent(string path) =>
        path.EndsWith("note", StringComparison.Ordinal) || path.EndsWith("dosageInstruction", StringComparison.Ordinal) || path.EndsWith("dosage", StringComparison.Ordinal);

    private static bool IsDateElement(string name) =>
        DateElements.Contains(name) || name.EndsWith("DateTime", StringComparison.Ordinal) || name.EndsWith("Instant", StringComparison.Ordinal);

    /// <summary>
    /// Shifts the date part of a date, dateTime or instant by whole days and keeps the rest (time,
    /// offset, precision). Partial dates shift from the middle of their year or month.
    /// </summary>
    public static string ShiftDate(string value, string name, string path, DeidentifyContext context) =>
        TryShift(value, context.ShiftDays, out var shifted)
            ? shifted
            : throw new ImportException(context.SourceName, $"{name} is not a valid FHIR date or dateTime", context.Where, path);

    public static bool TryShift(string value, int days, out string shifted)
    {
        shifted = value;
        var m = DateValue().Match(value);
        if (!m.Success) return false;
        var year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
        if (!m.Groups["m"].Success)
        {
            shifted = new DateOnly(year, 7, 1).AddDays(days).Year.ToString("D4", CultureInfo.InvariantCulture);
            return true;
        }
        var month = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12) return false;
        if (!m.Groups["d"].Success)
        {
            shifted = new DateOnly(year, month, 15).AddDays(days).ToString("yyyy-MM", CultureInfo.InvariantCulture);
            return true;
        }
        var day = int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
        if (day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        shifted = new DateOnly(year, month, day).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + m.Groups["rest"].Value;
        return true;
    }

    [GeneratedRegex(@"^(?<y>[0-9]{4})(?:-(?<m>[0-9]{2})(?:-(?<d>[0-9]{2})(?<rest>T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+\-][0-9]{2}:[0-9]{2})?)?)?)?$")]
    private static partial Regex DateValue();

    // A full date anywhere (e.g. in an element not known to be a date) is still a date.
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T|$)")]
    private static partial Regex FullDate();
}
