using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;

namespace ClinicianPortal.Shared.Records.Import;

/// <summary>
/// The required-field rules of the resource types the portal keeps: what the mapping and the
/// de-identification need to be correct (an id for the pseudonym, the patient reference for the
/// date shift, a code and status to show, numeric values where numbers are expected).
/// A property name is the FHIR path of the field; a message never quotes the field's value.
/// </summary>
internal sealed class FhirResourceValidator : AbstractValidator<RawResource>
{
    /// <summary>The field that points at the patient, per kept type.</summary>
    public static readonly IReadOnlyDictionary<string, string> PatientField = new Dictionary<string, string>
    {
        ["Encounter"] = "subject",
        ["Condition"] = "subject",
        ["Observation"] = "subject",
        ["MedicationRequest"] = "subject",
        ["MedicationStatement"] = "subject",
        ["Procedure"] = "subject",
        ["AllergyIntolerance"] = "patient",
        ["Immunization"] = "patient",
        ["DiagnosticReport"] = "subject",
        ["DocumentReference"] = "subject",
        ["CarePlan"] = "subject",
    };

    public FhirResourceValidator()
    {
        RuleFor(r => r.Id).NotEmpty().WithMessage("is required").OverridePropertyName("id");
        RuleFor(r => r.Id).Matches("^[A-Za-z0-9\\-\\.]{1,64}$").When(r => !string.IsNullOrEmpty(r.Id))
            .WithMessage("is not a valid FHIR id").OverridePropertyName("id");

        RuleFor(r => r.Json).Custom((json, context) =>
        {
            if (!PatientField.TryGetValue(context.InstanceToValidate.ResourceType, out var field)) return;
            if (json[field] is not JsonObject o || !IsString(o["reference"]))
                context.AddFailure(field + ".reference", "a reference to the patient is required");
        });

        Require("Encounter", "status", "class");
        Require("Condition", "code");
        Require("Observation", "status", "code");
        Require("MedicationRequest", "status", "intent");
        Require("MedicationStatement", "status");
        Require("Procedure", "status", "code");
        Require("AllergyIntolerance", "code");
        Require("Immunization", "status", "vaccineCode");
        Require("DiagnosticReport", "status", "code");
        Require("DocumentReference", "status", "content");
        Require("CarePlan", "status", "intent");

        foreach (var medicationType in new[] { "MedicationRequest", "MedicationStatement" })
        {
            RuleFor(r => r.Json)
                .Must(j => j["medicationCodeableConcept"] is JsonObject || j["medicationReference"] is JsonObject)
                .When(r => r.ResourceType == medicationType)
                .WithMessage("is required").OverridePropertyName("medication[x]");
        }

        RuleFor(r => r.Json).Custom((json, context) =>
        {
            if (context.InstanceToValidate.ResourceType != "Observation") return;
            CheckValue(json, "", context);
            if (json["component"] is JsonArray components)
            {
                for (var i = 0; i < components.Count; i++)
                {
                    if (components[i] is not JsonObject component || component["code"] is not JsonObject)
                    {
                        context.AddFailure($"component[{i}].code", "is required");
                        continue;
                    }
                    CheckValue(component, $"component[{i}].", context);
                }
            }
        });
    }

    private void Require(string type, params string[] fields)
    {
        foreach (var field in fields)
        {
            RuleFor(r => r.Json[field])
                .Must(v => v is not null && !(v is JsonValue s && s.TryGetValue(out string? text) && string.IsNullOrWhiteSpace(text)))
                .When(r => r.ResourceType == type)
                .WithMessage("is required").OverridePropertyName(field);
        }
    }

    /// <summary>The value[x] of an observation or component must have the JSON type its name promises.</summary>
    private static void CheckValue(JsonObject o, string prefix, ValidationContext<RawResource> context)
    {
        if (o["valueQuantity"] is { } q && !(q is JsonObject qo && (qo["value"] is null || IsNumber(qo["value"]))))
            context.AddFailure(prefix + "valueQuantity.value", "must be a number");
        if (o["valueInteger"] is { } i && !(IsNumber(i) && i.GetValue<JsonElement>().TryGetInt64(out _)))
            context.AddFailure(prefix + "valueInteger", "must be an integer");
        if (o["valueBoolean"] is { } b && b.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            context.AddFailure(prefix + "valueBoolean", "must be true or false");
        if (o["valueString"] is { } s && !IsString(s))
            context.AddFailure(prefix + "valueString", "must be a string");
        if (o["valueCodeableConcept"] is { } c && c is not JsonObject)
            context.AddFailure(prefix + "valueCodeableConcept", "must be a CodeableConcept");
        if (o["referenceRange"] is JsonArray ranges)
        {
            for (var r = 0; r < ranges.Count; r++)
            {
                foreach (var bound in new[] { "low", "high" })
                {
                    if (ranges[r]?[bound] is JsonObject b2 && b2["value"] is { } v && !IsNumber(v))
                        context.AddFailure($"{prefix}referenceRange[{r}].{bound}.value", "must be a number");
                }
            }
        }
    }

    private static bool IsNumber(JsonNode? n) => n is JsonValue && n.GetValueKind() == JsonValueKind.Number;
    private static bool IsString(JsonNode? n) => n is JsonValue && n.GetValueKind() == JsonValueKind.String;
}
