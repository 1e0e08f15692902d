using ClinicianPortal.Import;
using ClinicianPortal.Tests.Data;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.Records;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicianPortal.Tests.Import;

/// <summary>The import service over the real importer and real databases.</summary>
public sealed class ImportServiceTests
{
    private static ImportService Service(TestDatabase db) =>
        new(ImportTestKit.Importer(), db.Store, db.Store, NullLogger<ImportService>.Instance);

    [Fact]
    public void Ndjson_files_are_ordered_patients_first_then_encounters_then_the_rest()
    {
        var files = ImportService.CollectFiles([ImportFiles.BulkNdjsonFolder]);

        Assert.Equal(["Patient.000.ndjson", "Encounter.000.ndjson", "Condition.000.ndjson", "DocumentReference.000.ndjson"],
            files.Select(Path.GetFileName));
    }

    [Fact]
    public void Folders_are_searched_recursively_for_bundles_and_ndjson_only()
    {
        var root = Path.Combine(Path.GetTempPath(), "clinicianportal-tests", Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "nested", "deeper"));
            File.WriteAllText(Path.Combine(root, "nested", "deeper", "Encounter.ndjson"), "{\"resourceType\":\"Encounter\"}\n");
            File.WriteAllText(Path.Combine(root, "nested", "z-bundle.json"), "{\"entry\":[],\"resourceType\":\"Bundle\"}");
            File.WriteAllText(Path.Combine(root, "later.ndjson"), "{\"resourceType\":\"Observation\"}\n");
            File.WriteAllText(Path.Combine(root, "people.ndjson"), "{\"resourceType\":\"Patient\"}\n");
            File.WriteAllText(Path.Combine(root, "README.md"), "not FHIR");
            File.WriteAllText(Path.Combine(root, "MANIFEST.tsv"), "not FHIR");
            File.WriteAllText(Path.Combine(root, "MANIFEST.json"), "{\"files\":[{\"resourceType\":\"nested, not top-level\"}]}");
            File.WriteAllText(Path.Combine(root, "truncated.json"), "{\"files\":[");

            var files = ImportService.CollectFiles([root, Path.Combine(root, "people.ndjson")]);

            // The manifest is well-formed JSON but no FHIR resource; the truncated file stays, so that its import reports it.
            Assert.Equal(["z-bundle.json", "truncated.json", "people.ndjson", "Encounter.ndjson", "later.ndjson"], files.Select(Path.GetFileName));
            Assert.Throws<FileNotFoundException>(() => ImportService.CollectFiles([Path.Combine(root, "missing")]));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory, SqliteData, PostgresData]
    public async Task Bulk_ndjson_set_is_imported_in_dependency_order_with_per_file_counts(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var reports = new List<ImportProgress>();

        var summary = await Service(db).ImportAsync([ImportFiles.BulkNdjsonFolder], new SynchronousProgress<ImportProgress>(reports.Add));

        Assert.All(summary.Files, f => Assert.Null(f.Error));
        Assert.Equal(["Patient.000.ndjson", "Encounter.000.ndjson", "Condition.000.ndjson", "DocumentReference.000.ndjson"], summary.Files.Select(f => f.FileName));
        foreach (var file in summary.Files)
        {
            var type = file.FileName.Split('.')[0];
            var lines = ImportFiles.NonEmptyLines(Path.Combine(ImportFiles.BulkNdjsonFolder, file.FileName));
            Assert.Equal(lines, file.ResourceCounts[type]);
            Assert.Equal(lines, file.Resources);
        }
        var patients = summary.Files[0].Patients;
        Assert.Equal(ImportFiles.NonEmptyLines(Path.Combine(ImportFiles.BulkNdjsonFolder, "Patient.000.ndjson")), patients);
        Assert.Equal(patients, await db.Store.CountPatientsAsync());
        Assert.Equal(summary.Files.Sum(f => f.Events), await db.CountAsync("events"));
        Assert.Equal(summary.Files.Count, await db.CountAsync("import_log"));

        Assert.Equal(summary.Files.Count + 1, reports.Count);
        Assert.Equal(new ImportProgress(0, 4, "Patient.000.ndjson", 0), reports[0]);
        Assert.Equal(new ImportProgress(4, 4, null, summary.Resources), reports[^1]);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Reimporting_the_same_files_changes_no_record(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var service = Service(db);
        string[] files = [ImportFiles.Small1, ImportFiles.Small2];

        var first = await service.ImportAsync(files);
        var once = await db.SnapshotAsync(includeImportLog: false);
        var second = await service.ImportAsync(files);

        Assert.Equal(0, first.Failed);
        Assert.Equal(0, second.Failed);
        Assert.Equal(first.Files.Select(f => (f.Resources, f.Events)), second.Files.Select(f => (f.Resources, f.Events)));
        Assert.Equal(once, await db.SnapshotAsync(includeImportLog: false));
        Assert.Equal(2, await db.Store.CountPatientsAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_malformed_file_fails_alone_and_leaves_nothing_while_the_others_are_stored(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var folder = ImportFiles.FolderWith(db.DataDirectory, ImportFiles.Small1, ImportFiles.Small2);
        var broken = Path.Combine(folder, "broken.json");
        ImportFiles.WriteTruncated(ImportFiles.Small3, broken);

        var summary = await Service(db).ImportAsync([folder]);

        var failed = Assert.Single(summary.Files, f => !f.Succeeded);
        Assert.Equal("broken.json", failed.FileName);
        Assert.NotNull(failed.Error);
        Assert.DoesNotContain("broken", failed.Error, StringComparison.Ordinal);
        Assert.Matches(@"^file-[0-9A-Z]{8}\.json$", failed.Label);
        Assert.Equal(0, failed.Resources);
        Assert.Equal(2, summary.Succeeded);
        Assert.Equal(2, await db.Store.CountPatientsAsync());
        var eventsBefore = await db.CountAsync("events");

        // Nothing of the broken file's patient was stored: importing the intact file adds all of it.
        var intact = await Service(db).ImportFileAsync(ImportFiles.Small3);
        Assert.True(intact.Succeeded, intact.Error);
        Assert.Equal(3, await db.Store.CountPatientsAsync());
        Assert.Equal(eventsBefore + intact.Events, await db.CountAsync("events"));

        var log = await db.Store.RecentAsync(10);
        Assert.Contains(log, e => e.FileName == failed.Label && !e.Succeeded && e.Error == failed.Error);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_bundle_with_one_invalid_resource_leaves_the_database_exactly_as_before(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var service = Service(db);
        Assert.True((await service.ImportFileAsync(ImportFiles.Small1)).Succeeded);
        var before = await db.SnapshotAsync(includeImportLog: false);
        var invalid = Path.Combine(db.DataDirectory, "invalid-observation.json");
        ImportFiles.WriteWithInvalidLastObservation(ImportFiles.Small2, invalid);

        var result = await service.ImportFileAsync(invalid);

        Assert.False(result.Succeeded);
        Assert.Contains("Observation", result.Error, StringComparison.Ordinal);
        Assert.Contains("status", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await db.SnapshotAsync(includeImportLog: false));
    }
}
