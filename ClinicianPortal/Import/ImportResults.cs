namespace ClinicianPortal.Import;

/// <summary>Where a running import is: files finished of the total, the file being read, resources read so far.</summary>
public sealed record ImportProgress(int FilesDone, int FilesTotal, string? CurrentFile, int ResourcesSoFar);

/// <summary>The outcome of one file: stored whole, or (with <see cref="Error"/>) not at all.</summary>
/// <param name="FileName">The file's own name, shown only to whoever ran the import.</param>
/// <param name="Label">The keyed stand-in used in logs and the import log.</param>
/// <param name="Error">What went wrong (resource, field, reason), without the file name; null on success.</param>
public sealed record FileImportResult(
    string FileName,
    string Label,
    string Path,
    IReadOnlyDictionary<string, int> ResourceCounts,
    IReadOnlyDictionary<string, int> SkippedCounts,
    int Patients,
    int Events,
    TimeSpan Duration,
    string? Error)
{
    public bool Succeeded => Error is null;
    /// <summary>Resources read, kept or skipped.</summary>
    public int Resources => ResourceCounts.Values.Sum();
    public int Skipped => SkippedCounts.Values.Sum();
}

public sealed record ImportSummary(IReadOnlyList<FileImportResult> Files, TimeSpan Duration)
{
    public int Succeeded => Files.Count(f => f.Succeeded);
    public int Failed => Files.Count(f => !f.Succeeded);
    public int Resources => Files.Sum(f => f.Resources);
    public double ResourcesPerSecond => Duration.TotalSeconds > 0 ? Resources / Duration.TotalSeconds : 0;
}
