using ClinicianPortal.Import;
using ClinicianPortal.Shared.Records;
using Microsoft.AspNetCore.Components.Forms;

namespace ClinicianPortal.Components.Import;

/// <summary>Where an upload-and-import is: a sentence for the user and the share done, 0 to 1.</summary>
public sealed record UploadProgress(string Text, double Fraction);

/// <summary>
/// Imports files chosen in the browser: checks their size, copies them to a private temporary folder
/// (the import service reads files), imports them with <see cref="ImportService"/> and deletes the copies.
/// A file over the limit is not uploaded and gets a result that says why.
/// </summary>
public sealed class UploadImport(ImportService importService, FhirImporter importer, ILogger<UploadImport> logger)
{
    public const long MaxFileBytes = 200L * 1024 * 1024;
    public const int MaxFiles = 100;

    /// <summary>Why a file of that size cannot be uploaded, or null. Like import errors, it leaves out the file name (which may name a patient).</summary>
    public static string? CheckSize(long size) => size > MaxFileBytes
        ? $"{Megabytes(size)} is over the upload limit of {Megabytes(MaxFileBytes)} per file; nothing of it was imported. " +
          "Import large files on the server with `ClinicianPortal import <file-or-folder>`."
        : null;

    public static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024.0):0.#} MB";

    public async Task<IReadOnlyList<FileImportResult>> ImportAsync(IReadOnlyList<IBrowserFile> files, IProgress<UploadProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(progress);
        var folder = Directory.CreateTempSubdirectory("clinicianportal-upload-");
        try
        {
            var results = new List<FileImportResult>();
            var saved = new List<string>();
            var totalBytes = Math.Max(1, files.Where(f => f.Size <= MaxFileBytes).Sum(f => f.Size));
            long uploaded = 0;
            for (var i = 0; i < files.Count; i++)
            {
                var file = files[i];
                if (CheckSize(file.Size) is { } tooLarge)
                {
                    results.Add(Rejected(file.Name, tooLarge));
                    continue;
                }
                progress.Report(new UploadProgress($"Uploading {file.Name} ({i + 1} of {files.Count})", 0.5 * uploaded / totalBytes));
                // One sub-folder per file keeps the user's file name (for messages) even when two files share it.
                var path = Path.Combine(folder.CreateSubdirectory(i.ToString(System.Globalization.CultureInfo.InvariantCulture)).FullName, SafeName(file.Name));
                await using (var target = File.Create(path))
                await using (var source = file.OpenReadStream(MaxFileBytes, cancellationToken))
                {
                    await source.CopyToAsync(target, cancellationToken);
                }
                uploaded += file.Size;
                saved.Add(path);
            }
            if (saved.Count > 0)
            {
                var importProgress = new SynchronousProgress<ImportProgress>(p => progress.Report(new UploadProgress(
                    p.CurrentFile is null ? "Finishing…" : $"Importing {p.CurrentFile} ({p.FilesDone + 1} of {p.FilesTotal})",
                    0.5 + 0.5 * p.FilesDone / Math.Max(1, p.FilesTotal))));
                var summary = await importService.ImportAsync(saved, importProgress, cancellationToken);
                results.AddRange(summary.Files);
            }
            progress.Report(new UploadProgress("Done", 1));
            return results;
        }
        finally
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException ex)
            {
                logger.LogWarning("Could not delete the upload folder {Folder}: {Error}", folder.FullName, ex.Message);
            }
        }
    }

    private FileImportResult Rejected(string fileName, string error) =>
        new(fileName, importer.FileLabel(fileName), "", new Dictionary<string, int>(), new Dictionary<string, int>(), 0, 0, TimeSpan.Zero, error);

    /// <summary>The file name without any directory part or characters the file system refuses.</summary>
    public static string SafeName(string name)
    {
        var file = Path.GetFileName(name.Replace('\\', '/'));
        foreach (var c in Path.GetInvalidFileNameChars()) file = file.Replace(c, '_');
        return string.IsNullOrWhiteSpace(file) || file is "." or ".." ? "upload.json" : file;
    }
}
