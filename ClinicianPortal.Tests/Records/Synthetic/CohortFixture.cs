using System.Globalization;
using System.Text.Json;
using ClinicianPortal.Shared.Records.Synthetic;

namespace ClinicianPortal.Tests.Records.Synthetic;

/// <summary>The documented sample cohort, generated once in memory and parsed for the tests of this folder.</summary>
public sealed class CohortFixture : IDisposable
{
    public CohortFixture()
    {
        (Files, Manifest, Patients) = Generate(new CohortGenerator(), CohortGenerator.SamplePatients, CohortGenerator.SampleSeed);
        Bundles = Files.ToDictionary(f => f.Key, f => JsonDocument.Parse(f.Value), StringComparer.Ordinal);
        ManifestDocument = JsonDocument.Parse(Manifest);
    }

    public IReadOnlyDictionary<string, byte[]> Files { get; }
    public byte[] Manifest { get; }
    public IReadOnlyList<CohortPatient> Patients { get; }
    public IReadOnlyDictionary<string, JsonDocument> Bundles { get; }
    public JsonDocument ManifestDocument { get; }

    /// <summary>The bundles of the patients the manifest lists under a scenario.</summary>
    public IEnumerable<JsonElement> BundlesOf(string scenario) =>
        Patients.Where(p => p.Scenario == scenario).Select(p => Bundles[p.File].RootElement);

    public static (Dictionary<string, byte[]> Files, byte[] Manifest, IReadOnlyList<CohortPatient> Patients) Generate(CohortGenerator generator, int patients, int seed)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var streams = new Dictionary<string, MemoryStream>(StringComparer.Ordinal);
        var entries = generator.GenerateCohort(patients, seed, name => streams[name] = new MemoryStream());
        foreach (var (name, stream) in streams) files[name] = stream.ToArray();
        using var manifest = new MemoryStream();
        generator.WriteManifest(manifest, seed, entries);
        return (files, manifest.ToArray(), entries);
    }

    public void Dispose()
    {
        foreach (var bundle in Bundles.Values) bundle.Dispose();
        ManifestDocument.Dispose();
    }
}

/// <summary>Reading FHIR JSON the plain way, so the tests depend on no other feature's parser.</summary>
internal static class Fhir
{
    public static IEnumerable<JsonElement> Resources(this JsonElement bundle, string? type = null) =>
        bundle.GetProperty("entry").EnumerateArray()
            .Select(e => e.GetProperty("resource"))
            .Where(r => type is null || r.GetProperty("resourceType").GetString() == type);

    public static string? Str(this JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
        }
        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }

    public static string? FirstCode(this JsonElement resource, string property) =>
        resource.TryGetProperty(property, out var concept) && concept.TryGetProperty("coding", out var coding)
            ? coding[0].Str("code")
            : null;

    /// <summary>Dated numeric results of one LOINC code, oldest first.</summary>
    public static List<(DateTimeOffset At, double Value)> Results(this JsonElement bundle, params string[] loinc) =>
        [.. bundle.Resources("Observation")
            .Where(o => loinc.Contains(o.FirstCode("code")) && o.TryGetProperty("valueQuantity", out _))
            .Select(o => (DateTimeOffset.Parse(o.Str("effectiveDateTime")!, CultureInfo.InvariantCulture), o.GetProperty("valueQuantity").GetProperty("value").GetDouble()))
            .OrderBy(r => r.Item1)];

    public static IEnumerable<string> NoteTexts(this JsonElement bundle) =>
        bundle.Resources("DocumentReference").Select(NoteText);

    public static string NoteText(this JsonElement document) =>
        System.Text.Encoding.UTF8.GetString(document.GetProperty("content")[0].GetProperty("attachment").GetProperty("data").GetBytesFromBase64());

    public static IEnumerable<string> References(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "reference" && property.Value.ValueKind == JsonValueKind.String) yield return property.Value.GetString()!;
                    else foreach (var reference in References(property.Value)) yield return reference;
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    foreach (var reference in References(item)) yield return reference;
                break;
        }
    }
}
