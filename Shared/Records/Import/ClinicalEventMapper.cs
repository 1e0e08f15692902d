using System.Text.Json.Nodes;
using static ClinicianPortal.Shared.Records.Import.Fhir;

namespace ClinicianPortal.Shared.Records.Import;

/// <summary>
/// Maps a de-identified resource of a kept type to a <see cref="ClinicalEvent"/>: the lane, the dates
/// the type uses, the display title, codes, status, category, values and the encounter it belongs to.
/// </summary>
internal static class ClinicalEventMapper
{
    public static readonly IReadOnlyDictionary<string, EventKind> Kinds = new Dictionary<string, EventKind>
    {
        ["Encounter"] = EventKind.Encounter,
        ["Condition"] = EventKind.Condition,
        ["Observation"] = EventKind.Observation,
        ["MedicationRequest"] = EventKind.Medication,
        ["MedicationStatement"] = EventKind.Medication,
        ["Procedure"] = EventKind.Procedure,
        ["AllergyIntolerance"] = EventKind.Allergy,
        ["Immunization"] = EventKind.Immunization,
        ["DiagnosticReport"] = EventKind.Report,
        ["DocumentReference"] = EventKind.Note,
        ["CarePlan"] = EventKind.CarePlan,
    };

    public static ClinicalEvent Map(string type, JsonObject r, string patientId, string? encounterId, string? text)
    {
        var e = new ClinicalEvent
        {
            Id = Str(r["id"])!,
            PatientId = patientId,
            Kind = Kinds[type],
            ResourceType = type,
            Title = "",
            EncounterId = encounterId,
            Text = text,
            SourceJson = r.ToJsonString(Fhir.CompactJson),
        };
        return type switch
        {
            "Encounter" => e with
            {
                Title = ConceptText(Objects(r["type"]).FirstOrDefault()) ?? ConceptText(r["serviceType"]) ?? "Encounter",
                Codes = Codings(Objects(r["type"]).FirstOrDefault()),
                Status = Str(r["status"]),
                Category = Str(Get(r["class"], "code")) ?? FirstCode(r["class"]),
                Start = FirstDate(r, "period.start"),
                End = FirstDate(r, "period.end"),
            },
            "Condition" => e with
            {
                Title = ConceptText(r["code"]) ?? "Condition",
                Codes = Codings(r["code"]),
                Status = FirstCode(r["clinicalStatus"]),
                Category = FirstCode(r["category"]),
                Start = FirstDate(r, "onsetDateTime", "onsetPeriod.start", "recordedDate"),
                End = FirstDate(r, "abatementDateTime", "abatementPeriod.end", "abatementPeriod.start"),
            },
            "Observation" => Observation(e, r),
            "MedicationRequest" => e with
            {
                Title = ConceptText(r["medicationCodeableConcept"]) ?? "Medication",
                Codes = Codings(r["medicationCodeableConcept"]),
                Status = Str(r["status"]),
                Category = FirstCode(r["category"]) ?? Str(r["intent"]),
                Start = FirstDate(r, "authoredOn", "dispenseRequest.validityPeriod.start"),
                End = FirstDate(r, "dispenseRequest.validityPeriod.end"),
            },
            "MedicationStatement" => e with
            {
                Title = ConceptText(r["medicationCodeableConcept"]) ?? "Medication",
                Codes = Codings(r["medicationCodeableConcept"]),
                Status = Str(r["status"]),
                Category = FirstCode(r["category"]),
                Start = FirstDate(r, "effectiveDateTime", "effectivePeriod.start", "dateAsserted"),
                End = FirstDate(r, "effectivePeriod.end"),
            },
            "Procedure" => e with
            {
                Title = ConceptText(r["code"]) ?? "Procedure",
                Codes = Codings(r["code"]),
                Status = Str(r["status"]),
                Category = FirstCode(r["category"]),
                Start = FirstDate(r, "performedDateTime", "performedPeriod.start"),
                End = FirstDate(r, "performedPeriod.end"),
            },
            "AllergyIntolerance" => e with
            {
                Title = ConceptText(r["code"]) ?? "Allergy",
                Codes = Codings(r["code"]),
                Status = FirstCode(r["clinicalStatus"]),
                Category = r["category"] is JsonArray { Count: > 0 } c ? Str(c[0]) : null,
                ValueText = Reactions(r) ?? Str(r["criticality"]),
                Start = FirstDate(r, "onsetDateTime", "onsetPeriod.start", "recordedDate"),
            },
            "Immunization" => e with
            {
                Title = ConceptText(r["vaccineCode"]) ?? "Immunization",
                Codes = Codings(r["vaccineCode"]),
                Status = Str(r["status"]),
                Start = FirstDate(r, "occurrenceDateTime", "recorded"),
            },
            "DiagnosticReport" => e with
            {
                Title = ConceptText(r["code"]) ?? "Report",
                Codes = Codings(r["code"]),
                Status = Str(r["status"]),
                Category = FirstCode(r["category"]),
                ValueText = Str(r["conclusion"]),
                Start = FirstDate(r, "effectiveDateTime", "effectivePeriod.start", "issued"),
                End = FirstDate(r, "effectivePeriod.end"),
            },
            "DocumentReference" => e with
            {
                Title = ConceptText(r["type"]) ?? "Note",
                Codes = Codings(r["type"]),
                Status = Str(r["status"]),
                Category = FirstCode(r["category"]),
                Start = FirstDate(r, "context.period.start", "date"),
                End = FirstDate(r, "context.period.end"),
            },
            "CarePlan" => e with
            {
                Title = Str(r["title"]) ?? ConceptText(Objects(r["category"]).LastOrDefault()) ?? "Care plan",
                Codes = Objects(r["category"]).SelectMany(Codings).ToList(),
                Status = Str(r["status"]),
                Category = FirstCode(r["category"]),
                Start = FirstDate(r, "period.start", "created"),
                End = FirstDate(r, "period.end"),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a kept resource type"),
        };
    }

    private static ClinicalEvent Observation(ClinicalEvent e, JsonObject r)
    {
        var value = ToQuantity(r["valueQuantity"]) ?? (Number(r["valueInteger"]) is double i ? new Quantity(i, null, null) : null);
        var range = Objects(r["referenceRange"]).Select(ToRange).FirstOrDefault();
        return e with
        {
            Title = ConceptText(r["code"]) ?? "Observation",
            Codes = Codings(r["code"]),
            Status = Str(r["status"]),
            Category = FirstCode(r["category"]),
            Start = FirstDate(r, "effectiveDateTime", "effectivePeriod.start", "effectiveInstant", "issued"),
            End = FirstDate(r, "effectivePeriod.end"),
            Value = value,
            ValueText = ValueText(r),
            Range = range,
            Interpretation = FirstCode(r["interpretation"]) ?? Interpret(value, range),
            Components = Objects(r["component"]).Select(c =>
            {
                var cv = ToQuantity(c["valueQuantity"]) ?? (Number(c["valueInteger"]) is double ci ? new Quantity(ci, null, null) : null);
                var cr = Objects(c["referenceRange"]).Select(ToRange).FirstOrDefault();
                return new ObservationComponent(
                    Codings(c["code"]).FirstOrDefault() ?? new Coding(null, null, ConceptText(c["code"])),
                    cv, ValueText(c), FirstCode(c["interpretation"]) ?? Interpret(cv, cr));
            }).ToList(),
        };
    }

    private static string? ValueText(JsonObject o) =>
        ConceptText(o["valueCodeableConcept"]) ?? Str(o["valueString"])
        ?? (o["valueBoolean"] is JsonValue b && b.TryGetValue(out bool flag) ? (flag ? "true" : "false") : null);

    private static ReferenceRange ToRange(JsonObject range) =>
        new(Number(Get(range["low"], "value")), Number(Get(range["high"], "value")), Str(range["text"]));

    /// <summary>H or L when the source gives no interpretation but a numeric value and a range exist.</summary>
    public static string? Interpret(Quantity? value, ReferenceRange? range) => (value, range) switch
    {
        ({ } v, { High: double high }) when v.Value > high => "H",
        ({ } v, { Low: double low }) when v.Value < low => "L",
        ({ }, { Low: not null } or { High: not null }) => "N",
        _ => null,
    };

    private static string? Reactions(JsonObject r)
    {
        var manifestations = Objects(r["reaction"]).SelectMany(x => Objects(x["manifestation"])).Select(ConceptText).OfType<string>().Distinct().ToList();
        return manifestations.Count > 0 ? string.Join(", ", manifestations) : null;
    }
}
