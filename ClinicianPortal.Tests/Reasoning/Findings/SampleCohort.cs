using System.Collections.Concurrent;
using System.Text.Json;
using ClinicianPortal.Shared.Records;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.Records;

namespace ClinicianPortal.Tests.Reasoning.Findings;

/// <summary>The shipped sample bundles (ClinicianPortal/SampleData), imported in memory once per test run.</summary>
internal static class SampleCohort
{
    private static readonly ConcurrentDictionary<string, Task<PatientRecord>> Records = new(StringComparer.Ordinal);

    public static string Folder => Path.Combine(TestEnvironment.RepositoryRoot, "ClinicianPortal", "SampleData");

    /// <summary>The bundle files of a scenario ("pulmonary-embolism"), as listed in MANIFEST.json.</summary>
    public static IReadOnlyList<string> FilesOf(string scenario)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "MANIFEST.json")));
        return manifest.RootElement.GetProperty("files").EnumerateArray()
            .Where(f => f.GetProperty("scenario").GetString() == scenario)
            .Select(f => f.GetProperty("file").GetString()!)
            .ToList();
    }

    public static Task<PatientRecord> RecordAsync(string file) => Records.GetOrAdd(file, async f =>
    {
        var batch = await ImportTestKit.ReadFileAsync(Path.Combine(Folder, f));
        var patient = Assert.Single(batch.Patients);
        return PatientRecord.Build(patient, batch.Events.Where(e => e.PatientId == patient.Id));
    });
}
