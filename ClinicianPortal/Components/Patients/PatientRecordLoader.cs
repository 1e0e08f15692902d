using ClinicianPortal.Data;
using ClinicianPortal.Shared.Records;
using Microsoft.Extensions.Caching.Memory;

namespace ClinicianPortal.Components.Patients;

/// <summary>Loads one patient's whole record (summary + events + derived views) for the patient page.</summary>
public sealed class PatientRecordLoader(IPatientStore store, IImportLog importLog, IMemoryCache cache)
{
    /// <returns>null when no patient has that id.</returns>
    public async Task<PatientRecord?> LoadAsync(string patientId, CancellationToken cancellationToken = default)
    {
        // A page renders twice, prerendered and then in its circuit: the second render reuses the first
        // load, unless an import finished in between (the key changes with the latest import).
        var lastImport = (await importLog.RecentAsync(1, cancellationToken)).FirstOrDefault()?.ImportedAt;
        var key = (nameof(PatientRecordLoader), patientId, lastImport);
        if (cache.TryGetValue(key, out PatientRecord? cached)) return cached;

        var patient = await store.GetPatientAsync(patientId, cancellationToken);
        if (patient is null) return null;
        var events = await store.GetEventsAsync(patientId, cancellationToken);
        var record = PatientRecord.Build(patient, events);
        cache.Set(key, record, TimeSpan.FromMinutes(1));
        return record;
    }
}
