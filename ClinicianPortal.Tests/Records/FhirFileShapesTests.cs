using ClinicianPortal.Shared.Records;
using static ClinicianPortal.Tests.Records.ImportTestKit;

namespace ClinicianPortal.Tests.Records;

/// <summary>The file shapes FHIR servers produce besides Synthea's: searchset Bundles, bare resources, NDJSON with blank lines.</summary>
public class FhirFileShapesTests
{
    private const string Searchset = """
        {
          "resourceType": "Bundle", "type": "searchset", "total": 2,
          "entry": [
            { "fullUrl": "https://fhir.example.org/r4/Patient/42", "search": { "mode": "include" },
              "resource": { "resourceType": "Patient", "id": "42", "gender": "male", "birthDate": "1950-06-01" } },
            { "fullUrl": "https://fhir.example.org/r4/MedicationStatement/7", "search": { "mode": "match" },
              "resource": { "resourceType": "MedicationStatement", "id": "7", "status": "active",
                "medicationCodeableConcept": { "coding": [ { "system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "197361", "display": "amlodipine 5 MG Oral Tablet" } ] },
                "subject": { "reference": "Patient/42" }, "effectivePeriod": { "start": "2021-02-01", "end": "2021-08-01" } } },
            { "fullUrl": "https://fhir.example.org/r4/Observation/8", "search": { "mode": "match" },
              "resource": { "resourceType": "Observation", "id": "8", "status": "final",
                "category": [ { "coding": [ { "code": "laboratory" } ] } ],
                "code": { "coding": [ { "system": "http://loinc.org", "code": "2823-3", "display": "Potassium" } ] },
                "subject": { "reference": "https://fhir.example.org/r4/Patient/42" }, "effectiveDateTime": "2021-03-01T08:00:00Z",
                "valueQuantity": { "value": 3.1, "unit": "mmol/L", "system": "http://unitsofmeasure.org", "code": "mmol/L" },
                "referenceRange": [ { "low": { "value": 3.5 }, "high": { "value": 5.1 } } ],
                "interpretation": [ { "coding": [ { "code": "L" } ] } ] } },
            { "fullUrl": "https://fhir.example.org/r4/Observation/9", "search": { "mode": "match" },
              "resource": { "resourceType": "Observation", "id": "9", "status": "final",
                "code": { "text": "Smoker" }, "subject": { "reference": "Patient/42" }, "effectiveDateTime": "2021-03-01", "valueBoolean": false } },
            { "fullUrl": "https://fhir.example.org/r4/Claim/1", "resource": { "resourceType": "Claim", "id": "1" } }
          ]
        }
        """;

    [Fact]
    public async Task A_searchset_bundle_imports_every_entry_whatever_its_search_mode()
    {
        var batch = await ReadTextAsync("search.json", Searchset);

        var patient = Assert.Single(batch.Patients);
        Assert.Equal(3, batch.Events.Count);
        Assert.All(batch.Events, e => Assert.Equal(patient.Id, e.PatientId));
        Assert.Empty(batch.ExternalPatientIds);
        Assert.Equal(new Dictionary<string, int> { ["Claim"] = 1 }, batch.SkippedCounts);

        var med = Assert.Single(batch.Events, e => e.ResourceType == "MedicationStatement");
        Assert.Equal(EventKind.Medication, med.Kind);
        Assert.Equal(TimeSpan.FromDays(181), med.End - med.Start);
        var potassium = Assert.Single(batch.Events, e => e.CodeIn(Coding.Loinc) == "2823-3");
        Assert.Equal("L", potassium.Interpretation);
        Assert.Equal("mmol/L", potassium.Value!.UcumCode);
        Assert.Equal("false", Assert.Single(batch.Events, e => e.Title == "Smoker").ValueText);
    }

    [Fact]
    public async Task A_bare_resource_is_imported_as_a_file_of_one()
    {
        var batch = await ReadTextAsync("patient.json", """{ "resourceType": "Patient", "id": "solo", "gender": "other" }""");

        Assert.Equal("other", Assert.Single(batch.Patients).Sex);
        Assert.Equal(new Dictionary<string, int> { ["Patient"] = 1 }, batch.ResourceCounts);
    }

    [Fact]
    public async Task NDJSON_with_blank_lines_and_CRLF_endings_is_read_even_under_a_json_name()
    {
        var ndjson = "{\"resourceType\":\"Patient\",\"id\":\"a\"}\r\n\r\n{\"resourceType\":\"Patient\",\"id\":\"b\"}\r\n   \r\n";

        var batch = await ReadTextAsync("export.json", ndjson);

        Assert.Equal(2, batch.Patients.Count);
        Assert.NotEqual(batch.Patients[0].Id, batch.Patients[1].Id);
    }

    [Fact]
    public async Task Dates_inside_a_resource_move_with_the_same_shift_whatever_their_precision()
    {
        var batch = await ReadTextAsync("dates.json", """
            { "resourceType": "Bundle", "type": "collection", "entry": [
              { "resource": { "resourceType": "Patient", "id": "d1", "birthDate": "1980-05-20" } },
              { "resource": { "resourceType": "Condition", "id": "c1", "code": { "text": "Asthma" }, "subject": { "reference": "Patient/d1" },
                  "onsetDateTime": "2001-05-20T07:15:00+02:00", "abatementDateTime": "2001-06-19T07:15:00+02:00", "recordedDate": "2001-05" } } ] }
            """);

        var patient = Assert.Single(batch.Patients);
        var condition = Assert.Single(batch.Events);
        var shiftDays = patient.BirthDate!.Value.DayNumber - new DateOnly(1980, 5, 20).DayNumber;
        Assert.InRange(shiftDays, -730, -30);
        Assert.Equal(new DateTimeOffset(2001, 5, 20, 7, 15, 0, TimeSpan.FromHours(2)).AddDays(shiftDays), condition.Start);
        Assert.Equal(TimeSpan.FromDays(30), condition.End - condition.Start);
        Assert.Contains("+02:00", condition.SourceJson, StringComparison.Ordinal);
        Assert.DoesNotContain("2001-05\"", condition.SourceJson, StringComparison.Ordinal);
    }
}
