using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using ClinicianPortal.Data;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Import;

/// <summary>
/// Imports FHIR files into the patient store: each file is read by <see cref="FhirImporter"/> and stored in
/// one transaction, so a bad file is rejected whole while the others go in. Logs file names and counts only,
/// never resource content.
/// </summary>
public sealed class ImportService(FhirImporter importer, IPatientStore store, IImportLog importLog, ILogger<ImportService> logger)
{
    /// <summary>
    /// The files to import for the given files and folders (folders recursively: *.json bundles, *.ndjson;
    /// JSON that is not FHIR, such as a manifest, is left out),
    /// in dependency order: bundles (self-contained) first, then NDJSON with Patient before
    /// Practitioner/Organization, before Encounter, before the rest.
    /// </summary>
    public static IReadOnlyList<string> CollectFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (File.Exists(path)) files.Add(Path.GetFullPath(path));
            else if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(IsFhirFile).Where(f => !IsOtherJson(f)))
                    files.Add(Path.GetFullPath(file));
            }
            else throw new FileNotFoundException($"No file or folder at '{path}'.", path);
        }
        return [.. files.Select(f => (File: f, Rank: Rank(f))).OrderBy(f => f.Rank).ThenBy(f => f.File, StringComparer.Ordinal).Select(f => f.File)];
    }

    private static bool IsFhirFile(string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A well-formed .json file that is not a FHIR resource (a manifest beside the bundles): skipped when a folder
    /// is searched. Malformed JSON is not skipped, so that its import fails with the reason.
    /// </summary>
    private static bool IsOtherJson(string path)
    {
        if (!path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return false;
        try
        {
            var reader = new Utf8JsonReader(File.ReadAllBytes(path), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("resourceType")) return false;
            }
            return true;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static int Rank(string path)
    {
        if (!path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase)) return 0;
        return NdjsonResourceType(path) switch
        {
            "Patient" => 1,
            "Practitioner" or "PractitionerRole" or "Organization" or "Location" => 2,
            "Encounter" => 3,
            _ => 4,
        };
    }

    /// <summary>The resource type of an NDJSON file's first line (bulk export files hold one type each), else of its name ("Patient.000.ndjson").</summary>
    private static string? NdjsonResourceType(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            string? line;
            while ((line = reader.ReadLine()) is not null && line.Trim().Length == 0) { }
            if (line is not null)
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("resourceType", out var type) && type.ValueKind == JsonValueKind.String)
                    return type.GetString();
            }
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            // Unreadable or malformed: the import of that file reports it; here it only sorts by name.
        }
        var name = Path.GetFileName(path);
        return name[..name.IndexOf('.', StringComparison.Ordinal)];
    }

    /// <summary>Imports the files and folders; one result per file, in import order.</summary>
    public async Task<ImportSummary> ImportAsync(IEnumerable<string> paths, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var files = CollectFiles(paths);
        var total = Stopwatch.StartNew();
        var results = new List<FileImportResult>(files.Count);
        var resources = 0;
        foreach (var file in files)
        {
            progress?.Report(new ImportProgress(results.Count, files.Count, Path.GetFileName(file), resources));
            var result = await ImportFileAsync(file, cancellationToken);
            results.Add(result);
            resources += result.Resources;
        }
        progress?.Report(new ImportProgress(results.Count, files.Count, null, resources));
        var summary = new ImportSummary(results, total.Elapsed);
        logger.LogInformation("Import finished: {Succeeded} of {Files} files imported, {Failed} failed, {Resources} resources in {Seconds:0.0} s",
            summary.Succeeded, files.Count, summary.Failed, summary.Resources, summary.Duration.TotalSeconds);
        return summary;
    }

    /// <summary>Imports one file atomically; failures are reported in the result, not thrown (except cancellation).</summary>
    public Task<FileImportResult> ImportFileAsync(string path, CancellationToken cancellationToken = default) =>
        ImportAsync(Path.GetFileName(path), path, async label =>
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return await importer.ReadAsync(label, stream, store, cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Imports content that is not a file here (an HTTP request body) exactly as a file of that name would be
    /// (the extension .ndjson means NDJSON). The result's Path is empty; the caller disposes the stream.
    /// </summary>
    public Task<FileImportResult> ImportStreamAsync(string fileName, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return ImportAsync(Path.GetFileName(fileName), "", label => importer.ReadAsync(label, content, store, cancellationToken), cancellationToken);
    }

    private async Task<FileImportResult> ImportAsync(string fileName, string path, Func<string, Task<ImportBatch>> read, CancellationToken cancellationToken)
    {
        // Logs, the stored import log and error messages name the file by its keyed label, never by its
        // name: exported file names often carry the patient's name. Only the caller sees both.
        var label = importer.FileLabel(fileName);
        var clock = Stopwatch.StartNew();
        FileImportResult result;
        try
        {
            var batch = await read(label);
            await store.StoreAsync(batch, cancellationToken);
            result = new FileImportResult(fileName, label, path, batch.ResourceCounts, batch.SkippedCounts, batch.Patients.Count, batch.Events.Count, clock.Elapsed, null);
            logger.LogDebug("Imported {File}: {Resources} resources ({Skipped} skipped), {Patients} patients, {Events} events in {Seconds:0.00} s",
                label, result.Resources, result.Skipped, result.Patients, result.Events, clock.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // One file's failure, whatever it is, must not stop the others; it is reported per file.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            result = new FileImportResult(fileName, label, path, new Dictionary<string, int>(), new Dictionary<string, int>(), 0, 0, clock.Elapsed, Describe(ex));
            logger.LogWarning("Could not import {File}: {Error}", label, result.Error);
        }
        await AppendLogAsync(result, cancellationToken);
        return result;
    }

    /// <summary>
    /// What went wrong, without the file's name (the caller shows the name, logs show the label).
    /// ImportException messages are PHI-free by contract; database messages carry pseudonymous ids at most;
    /// anything else is named by type only, since its message could quote data or a path.
    /// </summary>
    private static string Describe(Exception ex) => ex switch
    {
        ImportException ie => string.Join(": ", new[] { ie.Resource, ie.Field, ie.Reason }.Where(part => !string.IsNullOrEmpty(part))),
        FileNotFoundException or DirectoryNotFoundException => "the file no longer exists",
        IOException or UnauthorizedAccessException => $"cannot be read ({ex.GetType().Name})",
        DbException => $"the database rejected the file: {ex.Message}",
        _ => $"could not be imported ({ex.GetType().Name})",
    };

    private async Task AppendLogAsync(FileImportResult result, CancellationToken cancellationToken)
    {
        try
        {
            await importLog.AppendAsync(new ImportLogEntry(result.Label, DateTimeOffset.UtcNow, result.Succeeded, result.Patients, result.Events,
                result.Resources, result.Skipped, result.Duration, result.Error), cancellationToken);
        }
        catch (DbException ex)
        {
            logger.LogWarning("Could not record the import of {File} in the import log: {Error}", result.Label, ex.Message);
        }
    }
}
