using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ClinicianPortal.Shared.Records.Synthetic;

/// <summary>
/// Writes one FHIR R4 transaction bundle straight to a stream: each entry has a urn:uuid fullUrl,
/// the resource (with the same id) and a POST request. Buffered bytes are flushed as they grow, so a
/// patient with a very long record streams instead of accumulating in memory.
/// </summary>
internal sealed class FhirBundleWriter : IDisposable
{
    private const int FlushThreshold = 64 * 1024;
    private readonly Stream output;
    private readonly Utf8JsonWriter json;
    private string? openResourceType;

    public FhirBundleWriter(Stream output)
    {
        this.output = output;
        json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, SkipValidation = false });
    }

    public Utf8JsonWriter Json => json;

    public int ResourceCount { get; private set; }

    public void BeginBundle(string id)
    {
        json.WriteStartObject();
        json.WriteString("resourceType", "Bundle");
        json.WriteString("id", id);
        json.WriteString("type", "transaction");
        json.WriteStartArray("entry");
    }

    public void EndBundle()
    {
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n'); // a text file ends with a newline (and git diffs stay clean)
    }

    /// <summary>Opens an entry and its resource; the caller writes the resource's fields, then calls <see cref="EndResource"/>.</summary>
    public void BeginResource(string resourceType, string id)
    {
        if (openResourceType is not null) throw new InvalidOperationException("An entry is already open.");
        openResourceType = resourceType;
        json.WriteStartObject();
        json.WriteString("fullUrl", "urn:uuid:" + id);
        json.WriteStartObject("resource");
        json.WriteString("resourceType", resourceType);
        json.WriteString("id", id);
    }

    public void EndResource()
    {
        var type = openResourceType ?? throw new InvalidOperationException("No entry is open.");
        json.WriteEndObject();
        json.WriteStartObject("request");
        json.WriteString("method", "POST");
        json.WriteString("url", type);
        json.WriteEndObject();
        json.WriteEndObject();
        openResourceType = null;
        ResourceCount++;
        if (json.BytesPending > FlushThreshold) json.Flush();
    }

    public void Reference(string name, string id)
    {
        json.WriteStartObject(name);
        json.WriteString("reference", "urn:uuid:" + id);
        json.WriteEndObject();
    }

    public void ReferenceArray(string name, IEnumerable<string> ids)
    {
        json.WriteStartArray(name);
        foreach (var id in ids)
        {
            json.WriteStartObject();
            json.WriteString("reference", "urn:uuid:" + id);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    public void CodeableConcept(string name, Coding coding, string? text = null)
    {
        json.WritePropertyName(name);
        CodeableConceptValue(coding, text);
    }

    public void CodeableConceptArray(string name, params Coding[] codings)
    {
        json.WriteStartArray(name);
        foreach (var coding in codings) CodeableConceptValue(coding, null);
        json.WriteEndArray();
    }

    private void CodeableConceptValue(Coding coding, string? text)
    {
        json.WriteStartObject();
        json.WriteStartArray("coding");
        json.WriteStartObject();
        if (coding.System is not null) json.WriteString("system", coding.System);
        if (coding.Code is not null) json.WriteString("code", coding.Code);
        if (coding.Display is not null) json.WriteString("display", coding.Display);
        json.WriteEndObject();
        json.WriteEndArray();
        if (text is not null) json.WriteString("text", text);
        json.WriteEndObject();
    }

    /// <summary>A one-coding CodeableConcept array from a FHIR-defined code system (category, class...).</summary>
    public void SystemCategory(string name, string system, string code, string display)
    {
        json.WriteStartArray(name);
        json.WriteStartObject();
        json.WriteStartArray("coding");
        SystemCoding(system, code, display);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
    }

    /// <summary>A CodeableConcept from a FHIR-defined code system (clinicalStatus, verificationStatus...).</summary>
    public void SystemConcept(string name, string system, string code, string? display = null)
    {
        json.WriteStartObject(name);
        json.WriteStartArray("coding");
        SystemCoding(system, code, display);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public void SystemCoding(string system, string code, string? display)
    {
        json.WriteStartObject();
        json.WriteString("system", system);
        json.WriteString("code", code);
        if (display is not null) json.WriteString("display", display);
        json.WriteEndObject();
    }

    /// <summary>A UCUM quantity; reference-range bounds leave out system and code (the result's value carries them).</summary>
    public void Quantity(string name, double value, string ucum, bool withSystem = true)
    {
        json.WriteStartObject(name);
        json.WriteNumber("value", value);
        json.WriteString("unit", ucum);
        if (withSystem)
        {
            json.WriteString("system", Coding.Ucum);
            json.WriteString("code", ucum);
        }
        json.WriteEndObject();
    }

    public void DateTime(string name, DateTimeOffset value) => json.WriteString(name, FormatDateTime(value));

    public void Period(string name, DateTimeOffset start, DateTimeOffset? end)
    {
        json.WriteStartObject(name);
        DateTime("start", start);
        if (end is { } e) DateTime("end", e);
        json.WriteEndObject();
    }

    /// <summary>Plain text as a base64 attachment, the way EHRs export clinical notes.</summary>
    public void TextAttachment(string title, string text, DateTimeOffset created)
    {
        json.WriteStartObject("attachment");
        json.WriteString("contentType", "text/plain; charset=utf-8");
        json.WriteString("language", "en-US");
        json.WriteBase64String("data", Encoding.UTF8.GetBytes(text));
        json.WriteString("title", title);
        DateTime("creation", created);
        json.WriteEndObject();
    }

    /// <summary>UTC, second precision, invariant: the same bytes on every machine.</summary>
    public static string FormatDateTime(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string FormatDate(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public void Dispose() => json.Dispose();
}
