namespace ClinicianPortal.Data;

/// <summary>One imported (or rejected) file: its name, counts and outcome. Never PHI.</summary>
public sealed record ImportLogEntry(
    string FileName,
    DateTimeOffset ImportedAt,
    bool Succeeded,
    int Patients,
    int Events,
    int Resources,
    int Skipped,
    TimeSpan Duration,
    string? Error);

/// <summary>The import history, written outside the import's own transaction so that failures are recorded too.</summary>
public interface IImportLog
{
    Task AppendAsync(ImportLogEntry entry, CancellationToken cancellationToken = default);
    /// <summary>The most recent entries first.</summary>
    Task<IReadOnlyList<ImportLogEntry>> RecentAsync(int count, CancellationToken cancellationToken = default);
}
