using System.Text.Json;
using ClinicianPortal.Shared.Records;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.Records;

namespace ClinicianPortal.Tests.Reasoning.Summary;

/// <summary>One shipped sample patient, imported in memory, with what MANIFEST.json says about it.</summary>
public sealed record SamplePatient(string File, string Scenario, bool Acute, PatientRecord Record)
{
    public override string ToString() => File;
}

/// <summary>The shipped sample cohort (ClinicianPortal/SampleData), imported once per test run through the real importer.</summary>
public static class SampleCohort
{
    private static readonly Lazy<Task<IReadOnlyList<SamplePatient>>> Loaded = new(LoadAsync);

    public static string Directory => Path.Combine(TestEnvironment.RepositoryRoot, "ClinicianPortal", "SampleData");

    public static Task<IReadOnlyList<SamplePatient>> AllAsync() => Loaded.Value;

    public static async Task<SamplePatient> FirstAsync(string scenario) =>
        (await AllAsync()).First(p => p.Scenario == scenario);

    private static async Task<IReadOnlyList<SamplePatient>> LoadAsync()
    {
        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(Directory, "MANIFEST.json")));
        var patients = new List<SamplePatient>();
        foreach (var entry in manifest.RootElement.GetProperty("files").EnumerateArray())
        {
            var file = entry.GetProperty("file").GetString()!;
            var batch = await ImportTestKit.ReadFileAsync(Path.Combine(Directory, file));
            var record = PatientRecord.Build(batch.Patients.Single(), batch.Events);
            patients.Add(new SamplePatient(file, entry.GetProperty("scenario").GetString()!, entry.GetProperty("acute").GetBoolean(), record));
        }
        return patients;
    }
}
