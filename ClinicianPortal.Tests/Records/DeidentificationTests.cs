using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClinicianPortal.Shared.Records;
using ClinicianPortal.Tests.Infrastructure;
using static ClinicianPortal.Tests.Records.ImportTestKit;

namespace ClinicianPortal.Tests.Records;

/// <summary>
/// HIPAA Safe Harbor on a bundle planted with an identifier of every category, in structured fields and
/// in note text (TestData/planted-identifiers.json): none may survive anywhere in the batch, while the
/// clinical content (codes, values, intervals between dates) must.
/// </summary>
public class DeidentificationTests
{
    private static readonly string PlantedPath = Path.Combine(TestEnvironment.RepositoryRoot, "ClinicianPortal.Tests", "Records", "TestData", "planted-identifiers.json");

    /// <summary>The planted values, grouped by Safe Harbor category.</summary>
    public static TheoryData<string, string> PlantedIdentifiers() => new()
    {
        { "names", "Jonathan" }, { "names", "Quincy" }, { "names", "Wexford" }, { "names", "Smythe" }, { "names", "Marguerite" },
        { "names", "Brunhilde" }, { "names", "Okonkwo" }, { "names", "Ottilie" }, { "names", "Brandvold" }, { "names", "Evelyn" }, { "names", "Hargreave" },
        { "address", "742 Evergreen" }, { "address", "Evergreen Terrace" }, { "address", "Apt 5B" }, { "address", "Springfield" },
        { "address", "Sangamon" }, { "address", "Decatur" }, { "address", "Peoria" }, { "address", "Memorial Clinic" }, { "address", "Room 12" },
        { "ZIP", "62704" }, { "ZIP", "61602" },
        { "geolocation", "39.781721" }, { "geolocation", "89.650148" },
        { "dates", "1973-02-17" }, { "dates", "1932-05-05" }, { "dates", "2020-03-14" }, { "dates", "2020-03-15" }, { "dates", "2020-03-02" },
        { "dates", "03/14/2020" }, { "dates", "March 14, 2020" },
        { "phone", "555-0143" }, { "phone", "5550143" }, { "phone", "555-0177" }, { "phone", "555-0100" }, { "phone", "555-0101" },
        { "fax", "555-0199" },
        { "email", "jq.wexford@example.org" }, { "email", "example.org" },
        { "SSN", "123-45-6789" }, { "SSN", "123456789" },
        { "MRN", "00482913" },
        { "health plan number", "HPN-7781-2290" },
        { "account number", "ACCT-5529013" },
        { "licence number", "IL-D4829-1733" }, { "licence number", "P88213457" }, { "licence number", "1928374650" },
        { "vehicle identifier", "1HGCM82633A004352" }, { "vehicle identifier", "7XKL-229" },
        { "device identifier", "SN-77310-XK" }, { "device identifier", "00844588003288" },
        { "URL", "jwexford.example.net" }, { "URL", "ehr.example.org" },
        { "IP address", "203.0.113.45" },
        { "biometric", "RS-99812" }, { "photo", "/9j/4AAQ" },
        { "other identifiers", "VISIT-99120034" }, { "other identifiers", "DOC-2020-0314-77" }, { "other identifiers", "pA-482913" },
        { "other identifiers", "pB-771205" }, { "other identifiers", "5d1a9c1e" }, { "other identifiers", "enc-20200314" },
        { "age over 89", "92 year" },
    };

    [Theory]
    [MemberData(nameof(PlantedIdentifiers))]
    public async Task Import_leaves_no_planted_identifier_anywhere_in_the_batch(string category, string planted)
    {
        var everything = Everything(await ReadFileAsync(PlantedPath));

        Assert.True(
            !everything.Contains(planted, StringComparison.OrdinalIgnoreCase),
            $"a planted {category} identifier survived the import");
    }

    [Fact]
    public async Task Import_keeps_codes_values_and_the_intervals_between_dates()
    {
        var batch = await ReadFileAsync(PlantedPath);
        var raw = JsonNode.Parse(File.ReadAllText(PlantedPath))!;

        var encounter = Assert.Single(batch.Events, e => e.Kind == EventKind.Encounter);
        var condition = Assert.Single(batch.Events, e => e.Kind == EventKind.Condition);
        var a1c = Assert.Single(batch.Events, e => e.CodeIn(Coding.Loinc) == "4548-4");
        var bp = Assert.Single(batch.Events, e => e.CodeIn(Coding.Loinc) == "85354-9");
        var med = Assert.Single(batch.Events, e => e.Kind == EventKind.Medication);
        var note = Assert.Single(batch.Events, e => e.Kind == EventKind.Note);

        Assert.Equal("44054006", condition.CodeIn(Coding.Snomed));
        Assert.Equal("active", condition.Status);
        Assert.Equal(new Quantity(8.1, "%", "%"), a1c.Value);
        Assert.Equal(new ReferenceRange(4.0, 5.7, null), a1c.Range);
        Assert.Equal("H", a1c.Interpretation);
        Assert.Equal("laboratory", a1c.Category);
        Assert.Equal([("8480-6", 152.0), ("8462-4", 94.0)], bp.Components.Select(c => (c.Code.Code!, c.Value!.Value)));
        Assert.Equal("860975", med.CodeIn(Coding.RxNorm));
        Assert.Equal(encounter.Id, a1c.EncounterId);
        Assert.Equal(encounter.Id, note.EncounterId);

        // Every date moved by the same whole number of days (at least a month back), so intervals survive.
        var originalStart = DateTimeOffset.Parse("2020-03-14T09:30:00-05:00");
        var shift = encounter.Start!.Value - originalStart;
        Assert.True(shift <= TimeSpan.FromDays(-30) && shift >= TimeSpan.FromDays(-730));
        Assert.Equal(0, shift.Ticks % TimeSpan.TicksPerDay);
        Assert.Equal(TimeSpan.FromMinutes(45), encounter.End - encounter.Start);
        Assert.Equal(DateTimeOffset.Parse("2020-03-02T00:00:00Z") + shift, condition.Start);
        Assert.Equal(DateTimeOffset.Parse("2020-03-14T10:00:00-05:00") + shift, a1c.Start);
        var patient = Assert.Single(batch.Patients, p => p.Id == condition.PatientId);
        Assert.Equal(DateOnly.Parse("1973-02-17").AddDays((int)shift.TotalDays), patient.BirthDate);
        Assert.Equal(52, patient.Age);
        Assert.Equal("IL", patient.State);
        Assert.Equal("male", patient.Sex);
        Assert.Contains("us-core-race", patient.SourceJson, StringComparison.Ordinal);

        // The note keeps its clinical sentences; identifiers become tags; its dates moved with the record.
        var text = note.Text!;
        foreach (var kept in new[] { "type 2 diabetes mellitus", "HbA1c 8.1%", "BP 152/94", "metformin 500 mg twice daily", "Pacemaker" })
            Assert.Contains(kept, text, StringComparison.Ordinal);
        foreach (var tag in new[] { "[NAME]", "[PHONE]", "[SSN]", "[EMAIL]", "[URL]", "[IP]", "[ADDRESS]", "[ID]", "90+ year-old" })
            Assert.Contains(tag, text, StringComparison.Ordinal);
        Assert.Contains("Progress note " + DateOnly.Parse("2020-03-14").AddDays((int)shift.TotalDays).ToString("MM/dd/yyyy", null), text, StringComparison.Ordinal);
        Assert.Contains("DOB " + patient.BirthDate!.Value.ToString("yyyy-MM-dd", null), text, StringComparison.Ordinal);
        // The scrubbed note is what goes back into the source resource.
        Assert.Equal(text, DecodedAttachments(note.SourceJson).Single());
        Assert.NotNull(raw);
    }

    [Fact]
    public async Task A_patient_over_89_is_reported_as_90_plus_without_a_birth_date()
    {
        var batch = await ReadFileAsync(PlantedPath);

        var old = Assert.Single(batch.Patients, p => p.Sex == "female");
        Assert.True(old.IsOver89);
        Assert.Equal(90, old.Age);
        Assert.Equal("90+", old.AgeText);
        Assert.Equal("90+", old.AgeBand);
        Assert.Null(old.BirthDate);
        Assert.DoesNotContain("birthDate", old.SourceJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_counts_and_skips_types_it_does_not_keep_and_drops_references_to_them()
    {
        var batch = await ReadFileAsync(PlantedPath);

        Assert.Equal(new Dictionary<string, int> { ["Device"] = 1, ["Organization"] = 1, ["Practitioner"] = 1 }, batch.SkippedCounts);
        Assert.Equal(11, batch.ResourceCounts.Values.Sum());
        Assert.All(batch.Events, e => Assert.DoesNotContain("Practitioner/", e.SourceJson, StringComparison.Ordinal));
        Assert.All(batch.Events, e => Assert.DoesNotContain("Device/", e.SourceJson, StringComparison.Ordinal));
        Assert.All(batch.Events, e => Assert.DoesNotContain("Organization/", e.SourceJson, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hashes_of_identifiers_are_emitted_per_patient_and_globally_for_practitioners()
    {
        var batch = await ReadFileAsync(PlantedPath);
        var patientIds = batch.Patients.Select(p => p.Id).ToHashSet();

        Assert.All(batch.IdentifierHashes, h => Assert.True(h.PatientId is null || patientIds.Contains(h.PatientId)));
        Assert.Contains(batch.IdentifierHashes, h => h.PatientId is null);
        Assert.All(patientIds, id => Assert.Contains(batch.IdentifierHashes, h => h.PatientId == id));
    }

    [Fact]
    public async Task Notes_in_a_file_without_the_patient_are_scrubbed_with_the_stored_hashes()
    {
        var known = new InMemoryKnownIdentifiers();
        var patients = await ReadFileAsync(PlantedPath, known);
        known.Add(patients);
        var patientRef = "Patient/pA-482913";
        // A name without Synthea digits, a city and an MRN, with no pattern to catch them: only the hashes can.
        var noteText = "Jonathan Wexford-Smythe returns from Springfield. Record 00482913 reviewed. Quincy feels well.";
        var document = new JsonObject
        {
            ["resourceType"] = "DocumentReference",
            ["id"] = "later-note",
            ["status"] = "current",
            ["subject"] = new JsonObject { ["reference"] = patientRef },
            ["content"] = new JsonArray(new JsonObject { ["attachment"] = new JsonObject { ["contentType"] = "text/plain", ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(noteText)) } }),
        };

        var batch = await ReadTextAsync("DocumentReference.000.ndjson", document.ToJsonString() + "\n", known);

        var note = Assert.Single(batch.Events);
        Assert.Equal("[NAME] returns from [LOCATION]. Record [ID] reviewed. [NAME] feels well.", note.Text);
        Assert.Equal(patients.Patients.First(p => p.Sex == "male").Id, note.PatientId);
        Assert.Equal([note.PatientId], batch.ExternalPatientIds);

        // Without the stored hashes the same note keeps the names: the hashes are what scrubs it.
        var unknown = await ReadTextAsync("DocumentReference.000.ndjson", document.ToJsonString() + "\n");
        Assert.Contains("Jonathan", Assert.Single(unknown.Events).Text, StringComparison.Ordinal);
    }

    /// <summary>The whole batch as text, plus every base64 attachment decoded (notes travel base64 in SourceJson).</summary>
    private static string Everything(ImportBatch batch)
    {
        var json = JsonSerializer.Serialize(batch, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var sources = batch.Events.Select(e => e.SourceJson).Concat(batch.Patients.Select(p => p.SourceJson));
        return json + "\n" + string.Join("\n", sources) + "\n" + string.Join("\n", sources.SelectMany(DecodedAttachments));
    }

    private static IEnumerable<string> DecodedAttachments(string sourceJson)
    {
        var found = new List<string>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o["data"] is JsonValue v && v.TryGetValue(out string? data)) found.Add(Encoding.UTF8.GetString(Convert.FromBase64String(data)));
                    foreach (var (_, child) in o) Walk(child);
                    break;
                case JsonArray a:
                    foreach (var child in a) Walk(child);
                    break;
            }
        }
        Walk(JsonNode.Parse(sourceJson));
        return found;
    }
}
