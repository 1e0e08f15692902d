using System.Text.Json.Nodes;
using ClinicianPortal.Tests.Infrastructure;

namespace ClinicianPortal.Tests.Import;

/// <summary>Real Synthea files for import tests, and malformed variants of them.</summary>
internal static class ImportFiles
{
    // The three smallest Synthea bundles of ../shared/data/synthea (133-208 resources each).
    public static readonly string Small1 = TestEnvironment.SharedData("synthea", "Maria_Luisa_Razo_d060a28c-4e03-4435-8b2e-1cbfa38ca43b.json");
    public static readonly string Small2 = TestEnvironment.SharedData("synthea", "Gayla_Ferry_259bc6c6-9c1d-43e9-bd25-7539cf07f8ac.json");
    public static readonly string Small3 = TestEnvironment.SharedData("synthea", "Versie_Botsford_56121408-15fe-47a5-8279-6f05dee51464.json");

    public static string BulkNdjsonFolder => TestEnvironment.SharedData("notes", "synthea_bulk_10patients");

    /// <summary>A fresh folder with copies of the given files.</summary>
    public static string FolderWith(string root, params string[] files)
    {
        var folder = Path.Combine(root, "in-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        foreach (var file in files) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return folder;
    }

    /// <summary>The bundle cut off in the middle: not JSON any more.</summary>
    public static void WriteTruncated(string source, string target)
    {
        var bytes = File.ReadAllBytes(source);
        File.WriteAllBytes(target, bytes[..(bytes.Length * 2 / 3)]);
    }

    /// <summary>Valid JSON, but the last Observation has lost its required status: the bundle must be rejected whole.</summary>
    public static void WriteWithInvalidLastObservation(string source, string target)
    {
        var bundle = JsonNode.Parse(File.ReadAllText(source))!;
        var entries = bundle["entry"]!.AsArray();
        var observation = entries.Last(e => (string?)e!["resource"]!["resourceType"] == "Observation")!["resource"]!.AsObject();
        observation.Remove("status");
        File.WriteAllText(target, bundle.ToJsonString());
    }

    public static int NonEmptyLines(string path) => File.ReadLines(path).Count(l => l.Trim().Length > 0);
}
