namespace ClinicianPortal.Shared.Records;

/// <summary>Derives the problem list, medications, allergies and series of a patient from the event stream.</summary>
internal static class PatientViews
{
    public static PatientRecord Build(PatientSummary patient, IEnumerable<ClinicalEvent> events)
    {
        // TODO(records): implemented by the Records feature.
        _ = (patient, events);
        throw new NotImplementedException();
    }
}
