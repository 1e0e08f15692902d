using System.Diagnostics;
using ClinicianPortal.Shared.Records;
using ClinicianPortal.Tests.Infrastructure;
using Xunit.Abstractions;
using static ClinicianPortal.Tests.Records.ImportTestKit;

namespace ClinicianPortal.Tests.Records;

/// <summary>The importer on real, externally generated data: Synthea transaction bundles and bulk-export NDJSON.</summary>
public class FhirImporterSyntheaTests(ITestOutputHelper output)
{
    private static readonly string[] KeptTypes =
    [
        "Patient", "Encounter", "Condition", "Observation", "MedicationRequest", "MedicationStatement", "Procedure",
        "AllergyIntolerance", "Immunization", "DiagnosticReport", "DocumentReference", "CarePlan",
    ];

    public static TheoryData<string> Bundles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(TestEnvironment.SharedData("synthea"), "*.json").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Bundles))]
    public async Task Import_reads_every_resource_of_a_Synthea_bundle_and_counts_each_type(string file)
    {
        var path = TestEnvironment.SharedData("synthea", file);
        var expected = CountTypes(path);

        var batch = await ReadFileAsync(path);

        Assert.Equal(expected.OrderBy(kv => kv.Key), batch.ResourceCounts.OrderBy(kv => kv.Key));
        Assert.Equal(expected.Where(kv => !KeptTypes.Contains(kv.Key)).OrderBy(kv => kv.Key), batch.SkippedCounts.OrderBy(kv => kv.Key));
        var patient = Assert.Single(batch.Patients);
        Assert.Equal(expected.Where(kv => KeptTypes.Contains(kv.Key) && kv.Key != "Patient").Sum(kv => kv.Value), batch.Events.Count);
        foreach (var type in KeptTypes.Where(t => t != "Patient"))
            Assert.Equal(expected.GetValueOrDefault(type), batch.Events.Count(e => e.ResourceType == type));

        // A transaction bundle is self-contained: everything points at its own patient and encounters.
        Assert.Empty(batch.ExternalPatientIds);
        Assert.Empty(batch.ExternalEventIds);
        Assert.All(batch.Events, e => Assert.Equal(patient.Id, e.PatientId));
        var encounterIds = batch.Events.Where(e => e.Kind == EventKind.Encounter).Select(e => e.Id).ToHashSet();
        Assert.All(batch.Events.Where(e => e.EncounterId is not null), e => Assert.Contains(e.EncounterId!, encounterIds));
        Assert.All(batch.Events, e => Assert.False(string.IsNullOrWhiteSpace(e.Title)));
        Assert.All(batch.Events.Where(e => e.Kind != EventKind.CarePlan || e.Start is not null), e => Assert.NotNull(e.Start));
        Assert.NotEmpty(batch.IdentifierHashes);
    }

    [Fact]
    public async Task Import_of_bulk_NDJSON_links_files_through_pseudonyms_and_scrubs_notes_with_stored_hashes()
    {
        var dir = TestEnvironment.SharedData("notes", "synthea_bulk_10patients");
        var known = new InMemoryKnownIdentifiers();
        var batches = new Dictionary<string, ImportBatch>();
        // The Patient file first, as an operator would: its hashes are what scrubs the notes file.
        foreach (var name in new[] { "Patient.000.ndjson", "Encounter.000.ndjson", "Condition.000.ndjson", "DocumentReference.000.ndjson" })
        {
            var path = Path.Combine(dir, name);
            var batch = await ReadFileAsync(path, known);
            Assert.Equal(CountTypes(path).OrderBy(kv => kv.Key), batch.ResourceCounts.OrderBy(kv => kv.Key));
            known.Add(batch);
            batches[name] = batch;
        }

        var patientIds = batches["Patient.000.ndjson"].Patients.Select(p => p.Id).ToHashSet();
        Assert.Equal(13, patientIds.Count);
        var encounterIds = batches["Encounter.000.ndjson"].Events.Select(e => e.Id).ToHashSet();
        foreach (var name in new[] { "Encounter.000.ndjson", "Condition.000.ndjson", "DocumentReference.000.ndjson" })
        {
            var batch = batches[name];
            Assert.Empty(batch.Patients);
            // Patients defined in the other file are referenced by the same pseudonyms.
            Assert.Subset(patientIds, batch.ExternalPatientIds.ToHashSet());
            Assert.All(batch.Events, e => Assert.Contains(e.PatientId, patientIds));
            if (name != "Encounter.000.ndjson") Assert.Subset(encounterIds, batch.ExternalEventIds.ToHashSet());
        }

        var notes = batches["DocumentReference.000.ndjson"].Events;
        Assert.Equal(1215, notes.Count);
        Assert.All(notes, n => Assert.False(string.IsNullOrWhiteSpace(n.Text)));
        Assert.All(notes, n => Assert.Equal(EventKind.Note, n.Kind));
        Assert.Contains(notes, n => n.Text!.Contains("[NAME]", StringComparison.Ordinal));
        Assert.DoesNotContain(notes, n => n.Text!.Contains("Sumiko", StringComparison.Ordinal) || n.SourceJson.Contains("Sumiko", StringComparison.Ordinal));
        // The clinical content survives.
        Assert.Contains(notes, n => n.Text!.Contains("# Chief Complaint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reading_all_Synthea_bundles_reports_throughput()
    {
        var files = Directory.GetFiles(TestEnvironment.SharedData("synthea"), "*.json");
        var importer = Importer();
        var resources = 0;
        long bytes = 0;
        var watch = Stopwatch.StartNew();
        foreach (var file in files)
        {
            var batch = await ReadFileAsync(file, importer: importer);
            resources += batch.ResourceCounts.Values.Sum();
            bytes += new FileInfo(file).Length;
        }
        watch.Stop();
        Assert.Equal(files.Sum(f => CountTypes(f).Values.Sum()), resources);
        // A measurement for the report, not an assertion: performance is judged by benchmarks.
        output.WriteLine($"{files.Length} bundles, {resources} resources, {bytes / 1048576.0:F1} MiB in {watch.Elapsed.TotalSeconds:F2} s: {resources / watch.Elapsed.TotalSeconds:F0} resources/s");
    }
}
