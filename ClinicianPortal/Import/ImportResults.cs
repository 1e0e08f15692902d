namespace ClinicianPortal.Import;

/// <summary>Where a running import is: files finished of the total, the file being read, resources read so far.</summary>
public sealed record ImportProgress(int FilesDone, int FilesTotal, string? CurrentFile, int ResourcesSoFar);

/// <summary>The outcome of one file: stored whole, or (with <see cref="Error"/>) not at all.</summary>
public sealed record FileImportResult(
    string FileName,
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
