namespace ClinicianPortal.Shared.Records;

/// <summary>The lanes of a patient's timeline; each FHIR resource type maps to one.</summary>
public enum EventKind
{
    Encounter,
    Condition,
    Observation,
    Medication,
    Procedure,
    Allergy,
    Immunization,
    Report,
    Note,
    CarePlan,
}

/// <summary>A code from a terminology (SNOMED CT, LOINC, RxNorm, ICD-10, CVX...) with its display text.</summary>
public sealed record Coding(string? System, string? Code, string? Display)
{
    public const string Snomed = "http://snomed.info/sct";
    public const string Loinc = "http://loinc.org";
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10-cm";
    public const string Ucum = "http://unitsofmeasure.org";
}

/// <summary>A measured value with its UCUM unit.</summary>
public sealed record Quantity(double Value, string? Unit, string? UcumCode);

/// <summary>An Observation's reference range (either bound may be missing).</summary>
public sealed record ReferenceRange(double? Low, double? High, string? Text);

/// <summary>One component of a panel observation, such as the systolic part of a blood pressure.</summary>
public sealed record ObservationComponent(Coding Code, Quantity? Value, string? ValueText, string? Interpretation);

/// <summary>
/// One de-identified entry of a patient's longitudinal record. Ids are pseudonyms derived from the
/// source resource id, so re-importing the same data yields the same ids (idempotent upserts), and
/// every AI statement can cite an event by id.
/// </summary>
public sealed record ClinicalEvent
{
    public required string Id { get; init; }
    public required string PatientId { get; init; }
    public required EventKind Kind { get; init; }
    /// <summary>The FHIR resource type it came from (MedicationRequest and MedicationStatement share a lane).</summary>
    public required string ResourceType { get; init; }
    /// <summary>Date-shifted start (onset, effective, authored, performed...).</summary>
    public DateTimeOffset? Start { get; init; }
    /// <summary>Date-shifted end (abatement, period end...), null while ongoing.</summary>
    public DateTimeOffset? End { get; init; }
    /// <summary>Human-readable title: the code's display text.</summary>
    public required string Title { get; init; }
    /// <summary>All codings of the primary code; the first is the preferred one.</summary>
    public IReadOnlyList<Coding> Codes { get; init; } = [];
    /// <summary>Clinical or workflow status (active, resolved, final, completed, stopped...).</summary>
    public string? Status { get; init; }
    /// <summary>Category code (laboratory, vital-signs, encounter class, allergy category...).</summary>
    public string? Category { get; init; }
    public Quantity? Value { get; init; }
    /// <summary>A non-numeric value: CodeableConcept text, string, boolean.</summary>
    public string? ValueText { get; init; }
    public ReferenceRange? Range { get; init; }
    /// <summary>v3 ObservationInterpretation code: N, H, L, HH, LL, A...</summary>
    public string? Interpretation { get; init; }
    public IReadOnlyList<ObservationComponent> Components { get; init; } = [];
    /// <summary>Pseudonymous id of the encounter this event belongs to.</summary>
    public string? EncounterId { get; init; }
    /// <summary>De-identified free text (clinical notes), null for coded events.</summary>
    public string? Text { get; init; }
    /// <summary>The de-identified FHIR resource as JSON, shown as the event's source.</summary>
    public required string SourceJson { get; init; }

    public Coding? Code => Codes.Count > 0 ? Codes[0] : null;

    /// <summary>The code in a given system (e.g. the LOINC code of a lab), if any.</summary>
    public string? CodeIn(string system) => Codes.FirstOrDefault(c => c.System == system)?.Code;
}
