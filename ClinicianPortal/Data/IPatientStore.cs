using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Data;

/// <summary>Filters, sort and paging of the patient list.</summary>
public sealed record PatientQuery
{
    /// <summary>Part of the pseudonym.</summary>
    public string? Search { get; init; }
    /// <summary>"40-49", "90+"... as in <see cref="PatientSummary.AgeBand"/>.</summary>
    public string? AgeBand { get; init; }
    public string? Sex { get; init; }
    /// <summary>Part of the display text of an active problem.</summary>
    public string? Condition { get; init; }
    public PatientSort SortBy { get; init; } = PatientSort.Id;
    public bool Descending { get; init; }
    public int Skip { get; init; }
    public int Take { get; init; } = 50;
}

public enum PatientSort { Id, Age, Sex, LastSeen, EventCount }

/// <summary>One row of the patient list.</summary>
public sealed record PatientListItem(PatientSummary Patient, IReadOnlyList<string> ActiveProblems, int EventCount, DateTimeOffset? LastSeen);

public sealed record Page<T>(IReadOnlyList<T> Items, int Total);

/// <summary>
/// The one store of de-identified records (SQLite by default, PostgreSQL when configured).
/// </summary>
public interface IPatientStore : IKnownIdentifiers
{
    /// <summary>Stores a batch atomically: all of it, or (on any error) nothing. Re-storing the same batch changes nothing.</summary>
    Task StoreAsync(ImportBatch batch, CancellationToken cancellationToken = default);
    Task<Page<PatientListItem>> SearchAsync(PatientQuery query, CancellationToken cancellationToken = default);
    Task<PatientSummary?> GetPatientAsync(string patientId, CancellationToken cancellationToken = default);
    /// <summary>The patient's events in chronological order.</summary>
    Task<IReadOnlyList<ClinicalEvent>> GetEventsAsync(string patientId, CancellationToken cancellationToken = default);
    Task<ClinicalEvent?> GetEventAsync(string eventId, CancellationToken cancellationToken = default);
    Task<int> CountPatientsAsync(CancellationToken cancellationToken = default);
}
