using System.Text.Json.Nodes;
using ClinicianPortal.Shared.Records;
using static ClinicianPortal.Tests.Records.ImportTestKit;

namespace ClinicianPortal.Tests.Records;

/// <summary>
/// A file that cannot be imported is rejected whole, with a message naming the file, the resource
/// (position and type) and the field, and never quoting identifying values.
/// </summary>
public class ImportRejectionTests
{
    private const string PatientUrl = "urn:uuid:0b6e3c1a-1111-4222-8333-944455556666";
    private const string EncounterUrl = "urn:uuid:0b6e3c1a-1111-4222-8333-944455557777";
    private const string PatientName = "Rosalind Featherstonehaugh";
    private const string Mrn = "MRN-30917725";

    private static JsonObject ValidBundle() => (JsonObject)JsonNode.Parse($$"""
        {
          "resourceType": "Bundle",
          "type": "transaction",
          "entry": [
            { "fullUrl": "{{PatientUrl}}", "resource": { "resourceType": "Patient", "id": "p-30917725",
              "identifier": [ { "value": "{{Mrn}}" } ], "name": [ { "text": "{{PatientName}}" } ], "gender": "female", "birthDate": "1960-01-01" } },
            { "fullUrl": "{{EncounterUrl}}", "resource": { "resourceType": "Encounter", "id": "e-1", "status": "finished",
              "class": { "code": "AMB" }, "subject": { "reference": "{{PatientUrl}}", "display": "{{PatientName}}" },
              "period": { "start": "2020-01-01T10:00:00Z" } } },
            { "fullUrl": "urn:uuid:0b6e3c1a-1111-4222-8333-944455558888", "resource": { "resourceType": "Observation", "id": "o-1", "status": "final",
              "code": { "coding": [ { "system": "http://loinc.org", "code": "2339-0", "display": "Glucose" } ] },
              "subject": { "reference": "{{PatientUrl}}" }, "encounter": { "reference": "{{EncounterUrl}}" },
              "effectiveDateTime": "2020-01-01T10:00:00Z", "valueQuantity": { "value": 5.4, "unit": "mmol/L" } } },
            { "fullUrl": "urn:uuid:0b6e3c1a-1111-4222-8333-944455559999", "resource": { "resourceType": "Condition", "id": "c-1",
              "code": { "text": "Hypertension" }, "subject": { "reference": "{{PatientUrl}}" }, "onsetDateTime": "2019-05-01" } }
          ]
        }
        """)!;

    [Fact]
    public async Task The_valid_bundle_these_tests_break_imports()
    {
        var batch = await ReadTextAsync("valid.json", ValidBundle().ToJsonString());
        Assert.Single(batch.Patients);
        Assert.Equal(3, batch.Events.Count);
    }

    public static TheoryData<string, Action<JsonObject>, string, string> BrokenBundles() => new()
    {
        { "Observation without code", b => Resource(b, 2).Remove("code"), "entry 3 (Observation)", "code" },
        { "Observation without status", b => Resource(b, 2).Remove("status"), "entry 3 (Observation)", "status" },
        { "Observation value that is not a number", b => Resource(b, 2)["valueQuantity"]!["value"] = "high", "entry 3 (Observation)", "valueQuantity.value" },
        { "Condition without subject", b => Resource(b, 3).Remove("subject"), "entry 4 (Condition)", "subject.reference" },
        { "Patient without id", b => Resource(b, 0).Remove("id"), "entry 1 (Patient)", "id" },
        { "dangling urn:uuid reference", b => Resource(b, 2)["subject"]!["reference"] = "urn:uuid:99999999-1111-4222-8333-944455556666", "entry 3 (Observation)", "subject.reference" },
        { "dangling encounter reference", b => Resource(b, 2)["encounter"]!["reference"] = "urn:uuid:99999999-1111-4222-8333-944455557777", "entry 3 (Observation)", "encounter.reference" },
        { "malformed reference", b => Resource(b, 3)["subject"]!["reference"] = "patient " + Mrn, "entry 4 (Condition)", "subject.reference" },
        { "subject that is not a patient", b => Resource(b, 3)["subject"]!["reference"] = EncounterUrl, "entry 4 (Condition)", "subject.reference" },
        { "date that is not a date", b => Resource(b, 3)["onsetDateTime"] = "last spring", "entry 4 (Condition)", "onsetDateTime" },
        { "a resource without resourceType", b => Resource(b, 3).Remove("resourceType"), "entry 4", "resourceType" },
    };

    [Theory]
    [MemberData(nameof(BrokenBundles))]
    public async Task Import_rejects_a_bundle_naming_file_resource_and_field(string problem, Action<JsonObject> breakIt, string resource, string field)
    {
        var bundle = ValidBundle();
        breakIt(bundle);

        var error = await Assert.ThrowsAsync<ImportException>(() => ReadTextAsync("patient-bundle.json", bundle.ToJsonString()));

        Assert.True(error.SourceName == "patient-bundle.json", problem);
        Assert.Equal(resource, error.Resource);
        Assert.Equal(field, error.Field);
        Assert.StartsWith($"patient-bundle.json: {resource}: {field}: ", error.Message, StringComparison.Ordinal);
        AssertNoPhi(error.Message);
    }

    [Fact]
    public async Task Import_rejects_malformed_JSON_with_its_line_and_position_only()
    {
        var text = ValidBundle().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        // Break the line that carries the name: the message must point at it without quoting it.
        var lines = text.Split('\n');
        var nameLine = Array.FindIndex(lines, l => l.Contains(PatientName, StringComparison.Ordinal));
        lines[nameLine] = lines[nameLine].Replace("\"text\":", "\"text\"", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<ImportException>(() => ReadTextAsync("broken.json", string.Join('\n', lines)));

        Assert.Contains($"line {nameLine + 1}, position", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("broken.json: ", error.Message, StringComparison.Ordinal);
        AssertNoPhi(error.Message);
    }

    [Fact]
    public async Task Import_rejects_an_NDJSON_file_naming_the_line_of_the_bad_resource()
    {
        var patient = Resource(ValidBundle(), 0).ToJsonString();
        var condition = """{"resourceType":"Condition","id":"c-9","code":{"text":"Asthma"},"subject":{"reference":"Patient/p-30917725"}}""";
        var noSubject = """{"resourceType":"Condition","id":"c-10","code":{"text":"Asthma"}}""";
        var ndjson = string.Join('\n', patient, "", condition, noSubject, "");

        var error = await Assert.ThrowsAsync<ImportException>(() => ReadTextAsync("Condition.000.ndjson", ndjson));

        Assert.Equal("line 4 (Condition)", error.Resource);
        Assert.Equal("subject.reference", error.Field);

        var malformed = await Assert.ThrowsAsync<ImportException>(() => ReadTextAsync("Condition.000.ndjson", string.Join('\n', patient, condition, "{\"resourceType\":\"Condition\",")));
        Assert.Contains("line 3", malformed.Message, StringComparison.Ordinal);
        AssertNoPhi(malformed.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"resourceType":"Bundle","type":"history","entry":[]}""")]
    public async Task Import_rejects_files_that_are_not_FHIR_resources(string content)
    {
        var error = await Assert.ThrowsAsync<ImportException>(() => ReadTextAsync("odd.json", content));
        Assert.StartsWith("odd.json: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task References_to_patients_and_encounters_outside_an_NDJSON_file_are_listed_not_rejected()
    {
        var condition = """{"resourceType":"Condition","id":"c-9","code":{"text":"Asthma"},"subject":{"reference":"Patient/p-30917725"},"encounter":{"reference":"https://ehr.example.org/fhir/Encounter/e-1/_history/2"},"asserter":{"reference":"Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999974592","display":"Dr. Ann Example"}}""";

        var batch = await ReadTextAsync("Condition.000.ndjson", condition + "\n");
        var bundle = await ReadTextAsync("valid.json", ValidBundle().ToJsonString());

        var patientId = Assert.Single(bundle.Patients).Id;
        var encounterId = Assert.Single(bundle.Events, e => e.Kind == EventKind.Encounter).Id;
        Assert.Equal([patientId], batch.ExternalPatientIds);
        Assert.Equal([encounterId], batch.ExternalEventIds);
        var condition2 = Assert.Single(batch.Events);
        Assert.Equal(patientId, condition2.PatientId);
        Assert.Equal(encounterId, condition2.EncounterId);
        Assert.DoesNotContain("Practitioner", condition2.SourceJson, StringComparison.Ordinal);
    }

    private static JsonObject Resource(JsonObject bundle, int index) => (JsonObject)bundle["entry"]![index]!["resource"]!;

    private static void AssertNoPhi(string message)
    {
        foreach (var phi in new[] { "Rosalind", "Featherstonehaugh", "30917725", "0b6e3c1a", "99999999", "p-30917725", "1960" })
            Assert.DoesNotContain(phi, message, StringComparison.OrdinalIgnoreCase);
    }
}
