using ClinicianPortal.Data;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Components.Patients;

/// <summary>Loads one patient's whole record (summary + events + derived views) for the patient page.</summary>
public sealed class PatientRecordLoader(IPatientStore store)
{
    /// <returns>null when no patient has that id.</returns>
    public async Task<PatientRecord?> LoadAsync(string patientId, CancellationToken cancellationToken = default)
    {
        var patient = await store.GetPatientAsync(patientId, cancellationToken);
        if (patient is null) return null;
        var events = await store.GetEventsAsync(patientId, cancellationToken);
        return PatientRecord.Build(patient, events);
    }
}
