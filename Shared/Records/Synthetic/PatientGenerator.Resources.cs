namespace ClinicianPortal.Shared.Records.Synthetic;

/// <summary>Encounters, procedures, reports, immunizations, notes, and the resources written last.</summary>
internal sealed partial class PatientGenerator
{
    private string WriteEncounter(string classCode, string classDisplay, Coding type, DateTimeOffset start, DateTimeOffset? end, Coding[] reasons, string? disposition = null)
    {
        var json = fhir.Json;
        var id = rng.NextUuid();
        fhir.BeginResource("Encounter", id);
        if (identity is not null)
        {
            json.WriteStartArray("identifier");
            json.WriteStartObject();
            json.WriteString("system", "urn:oid:2.16.840.1.113883.3.9999.2");
            json.WriteString("value", "V" + identityRandom!.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteEndArray();
        }
        json.WriteString("status", end is null ? "in-progress" : "finished");
        json.WritePropertyName("class");
        json.WriteStartObject();
        json.WriteString("system", ActCodeSystem);
        json.WriteString("code", classCode);
        json.WriteString("display", classDisplay);
        json.WriteEndObject();
        fhir.CodeableConceptArray("type", type);
        fhir.Reference("subject", patientId);
        fhir.Period("period", start, end);
        if (reasons.Length > 0) fhir.CodeableConceptArray("reasonCode", reasons);
        if (disposition is not null)
        {
            json.WriteStartObject("hospitalization");
            fhir.SystemConcept("dischargeDisposition", "http://terminology.hl7.org/CodeSystem/discharge-disposition", disposition,
                disposition == "exp" ? "Expired" : "Home");
            json.WriteEndObject();
        }
        fhir.EndResource();
        return id;
    }

    private void WriteProcedure(Coding code, DateTimeOffset start, DateTimeOffset end, string encounter, string? note)
    {
        var json = fhir.Json;
        fhir.BeginResource("Procedure", rng.NextUuid());
        json.WriteString("status", "completed");
        fhir.CodeableConcept("code", code);
        fhir.Reference("subject", patientId);
        fhir.Reference("encounter", encounter);
        fhir.Period("performedPeriod", start, end);
        if (note is not null)
        {
            json.WriteStartArray("note");
            json.WriteStartObject();
            json.WriteString("text", note);
            json.WriteEndObject();
            json.WriteEndArray();
        }
        fhir.EndResource();
    }

    private void WriteImaging(Coding code, DateTimeOffset at, string encounter, string conclusion)
    {
        WriteProcedure(code, at, at.AddMinutes(15), encounter, null);
        WriteReport(code, "RAD", "Radiology", at.AddMinutes(15), encounter, [], conclusion);
    }

    private void WriteReport(Coding code, string category, string categoryDisplay, DateTimeOffset at, string? encounter, IReadOnlyList<string> results, string? conclusion)
    {
        var json = fhir.Json;
        fhir.BeginResource("DiagnosticReport", rng.NextUuid());
        json.WriteString("status", "final");
        fhir.SystemCategory("category", ReportCategorySystem, category, categoryDisplay);
        fhir.CodeableConcept("code", code);
        fhir.Reference("subject", patientId);
        if (encounter is not null) fhir.Reference("encounter", encounter);
        fhir.DateTime("effectiveDateTime", at);
        fhir.DateTime("issued", at.AddMinutes(60));
        if (results.Count > 0) fhir.ReferenceArray("result", results);
        if (conclusion is not null) json.WriteString("conclusion", conclusion);
        fhir.EndResource();
    }

    private void WriteImmunization(Coding vaccine, DateTimeOffset at)
    {
        var json = fhir.Json;
        fhir.BeginResource("Immunization", rng.NextUuid());
        json.WriteString("status", "completed");
        fhir.CodeableConcept("vaccineCode", vaccine);
        fhir.Reference("patient", patientId);
        fhir.DateTime("occurrenceDateTime", at);
        json.WriteBoolean("primarySource", true);
        fhir.EndResource();
    }

    private enum NoteKind { HistoryAndPhysical, Progress, Discharge, Emergency }

    private void WriteNote(NoteKind kind, DateTimeOffset at, DateTimeOffset periodStart, DateTimeOffset? periodEnd, string encounter, string text)
    {
        var (code, display) = kind switch
        {
            NoteKind.HistoryAndPhysical => ("34117-2", "History and physical note"),
            NoteKind.Discharge => ("18842-5", "Discharge summary"),
            NoteKind.Emergency => ("34111-5", "Emergency department Note"),
            _ => ("11506-3", "Progress note"),
        };
        var json = fhir.Json;
        fhir.BeginResource("DocumentReference", rng.NextUuid());
        json.WriteString("status", "current");
        json.WriteString("docStatus", "final");
        fhir.CodeableConcept("type", new Coding(Coding.Loinc, code, display));
        fhir.SystemCategory("category", "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category", "clinical-note", "Clinical Note");
        fhir.Reference("subject", patientId);
        fhir.DateTime("date", at);
        json.WriteStartArray("content");
        json.WriteStartObject();
        fhir.TextAttachment(display, text, at);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("context");
        fhir.ReferenceArray("encounter", [encounter]);
        fhir.Period("period", periodStart, periodEnd);
        json.WriteEndObject();
        fhir.EndResource();
    }

    /// <summary>Conditions, medication requests, allergies and care plans, written once their final state is known.</summary>
    private void WriteDeferred()
    {
        var json = fhir.Json;
        foreach (var condition in conditions)
        {
            fhir.BeginResource("Condition", condition.Id);
            fhir.SystemConcept("clinicalStatus", "http://terminology.hl7.org/CodeSystem/condition-clinical", condition.Status);
            fhir.SystemConcept("verificationStatus", "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed");
            fhir.SystemCategory("category", "http://terminology.hl7.org/CodeSystem/condition-category", condition.Category,
                condition.Category == "problem-list-item" ? "Problem List Item" : "Encounter Diagnosis");
            fhir.CodeableConcept("code", condition.Code);
            fhir.Reference("subject", patientId);
            if (condition.Encounter is not null) fhir.Reference("encounter", condition.Encounter);
            fhir.DateTime("onsetDateTime", condition.Onset);
            if (condition.Abatement is { } abated) fhir.DateTime("abatementDateTime", abated);
            fhir.DateTime("recordedDate", condition.Onset < plan.HistoryStart ? plan.HistoryStart : condition.Onset);
            fhir.EndResource();
        }
        foreach (var medication in medications)
        {
            fhir.BeginResource("MedicationRequest", medication.Id);
            json.WriteString("status", medication.Status);
            if (medication.StatusReason is not null)
            {
                json.WriteStartObject("statusReason");
                json.WriteString("text", medication.StatusReason);
                json.WriteEndObject();
            }
            json.WriteString("intent", "order");
            fhir.CodeableConcept("medicationCodeableConcept", medication.Code);
            fhir.Reference("subject", patientId);
            if (medication.Encounter is not null) fhir.Reference("encounter", medication.Encounter);
            fhir.DateTime("authoredOn", medication.Start);
            if (medication.Reason is not null) fhir.ReferenceArray("reasonReference", [medication.Reason]);
            json.WriteStartArray("dosageInstruction");
            json.WriteStartObject();
            json.WriteString("text", medication.Dose);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartObject("dispenseRequest");
            fhir.Period("validityPeriod", medication.Start, medication.End);
            json.WriteEndObject();
            fhir.EndResource();
        }
        foreach (var allergy in allergies) WriteAllergy(allergy);
        if (allergies.Count == 0) WriteAllergy(new(new Coding(Coding.Snomed, "716186003", "No known allergy"), null, null, null, null, plan.HistoryStart));
        foreach (var carePlan in carePlans)
        {
            fhir.BeginResource("CarePlan", rng.NextUuid());
            json.WriteString("status", plan.Deceased ? "completed" : "active");
            json.WriteString("intent", "plan");
            fhir.CodeableConceptArray("category", carePlan.Category);
            json.WriteString("title", carePlan.Category.Display);
            fhir.Reference("subject", patientId);
            fhir.Period("period", carePlan.Start, plan.DeathDate);
            fhir.ReferenceArray("addresses", [carePlan.Addresses]);
            json.WriteStartArray("activity");
            foreach (var activity in carePlan.Activities)
            {
                json.WriteStartObject();
                json.WriteStartObject("detail");
                json.WriteString("status", plan.Deceased ? "stopped" : "in-progress");
                json.WriteString("description", activity);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            fhir.EndResource();
        }
    }

    private void WriteAllergy(AllergyEntry allergy)
    {
        var json = fhir.Json;
        fhir.BeginResource("AllergyIntolerance", rng.NextUuid());
        fhir.SystemConcept("clinicalStatus", "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active");
        fhir.SystemConcept("verificationStatus", "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "confirmed");
        if (allergy.Category is not null)
        {
            json.WriteString("type", "allergy");
            json.WriteStartArray("category");
            json.WriteStringValue(allergy.Category);
            json.WriteEndArray();
            json.WriteString("criticality", allergy.Criticality);
        }
        fhir.CodeableConcept("code", allergy.Code);
        fhir.Reference("patient", patientId);
        fhir.DateTime("recordedDate", allergy.Recorded);
        if (allergy.Reaction is not null)
        {
            json.WriteStartArray("reaction");
            json.WriteStartObject();
            fhir.CodeableConceptArray("manifestation", allergy.Reaction);
            json.WriteString("severity", allergy.Severity);
            json.WriteEndObject();
            json.WriteEndArray();
        }
        fhir.EndResource();
    }
}
