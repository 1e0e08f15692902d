using System.Text.Json;
using ClinicianPortal.Shared.Records.Synthetic;
using ClinicianPortal.Tests.Infrastructure;

namespace ClinicianPortal.Tests.Records.Synthetic;

/// <summary>Reproducibility: the generator is deterministic and the shipped sample is its untouched output.</summary>
public sealed class CohortGeneratorTests(CohortFixture cohort) : IClassFixture<CohortFixture>
{
    private static string SampleDirectory => Path.Combine(TestEnvironment.RepositoryRoot, "ClinicianPortal", "SampleData");

    [Fact]
    public void Shipped_sample_is_byte_for_byte_what_the_documented_command_generates()
    {
        var shipped = Directory.GetFiles(SampleDirectory, "patient-*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(cohort.Files.Keys.Order(StringComparer.Ordinal), shipped);
        foreach (var (name, bytes) in cohort.Files)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(SampleDirectory, name))),
                $"{name} differs from the generator's output: regenerate with the command in SampleData/README.md instead of editing it.");
        }
        Assert.True(cohort.Manifest.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(SampleDirectory, CohortGenerator.ManifestFileName))),
            "MANIFEST.json differs from the generator's output.");
    }

    [Fact]
    public void Sample_readme_documents_the_command_with_the_shipped_seed_and_count()
    {
        var readme = File.ReadAllText(Path.Combine(SampleDirectory, "README.md"));
        Assert.Contains($"dotnet run --project ClinicianPortal -- generate --out ClinicianPortal/SampleData --patients {CohortGenerator.SamplePatients} --seed {CohortGenerator.SampleSeed}", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void App_build_output_carries_the_sample_beside_the_app()
    {
        var output = Path.Combine(Path.GetDirectoryName(typeof(Program).Assembly.Location)!, "SampleData");
        Assert.True(File.Exists(Path.Combine(output, CohortGenerator.ManifestFileName)), $"no {CohortGenerator.ManifestFileName} in {output}");
        Assert.Equal(cohort.Files.Count, Directory.GetFiles(output, "patient-*.json").Length);
    }

    [Fact]
    public void Same_seed_twice_gives_identical_bytes()
    {
        var first = CohortFixture.Generate(new CohortGenerator(), 14, 7);
        var second = CohortFixture.Generate(new CohortGenerator(), 14, 7);
        Assert.Equal(first.Files.Keys, second.Files.Keys);
        foreach (var (name, bytes) in first.Files) Assert.True(bytes.AsSpan().SequenceEqual(second.Files[name]), name);
        Assert.True(first.Manifest.AsSpan().SequenceEqual(second.Manifest));
    }

    [Fact]
    public void Different_seed_gives_different_patients()
    {
        var first = CohortFixture.Generate(new CohortGenerator(), 12, 7);
        var second = CohortFixture.Generate(new CohortGenerator(), 12, 8);
        Assert.All(first.Files, f => Assert.False(f.Value.AsSpan().SequenceEqual(second.Files[f.Key]), f.Key));
        Assert.Empty(first.Patients.Select(p => p.PatientId).Intersect(second.Patients.Select(p => p.PatientId)));
    }

    [Fact]
    public void One_patient_can_carry_a_requested_number_of_observations()
    {
        var generator = new CohortGenerator(new CohortOptions { ObservationsPerPatient = 3000 });
        using var stream = new MemoryStream();
        var patient = generator.GeneratePatient(0, CohortGenerator.SampleSeed, stream);
        using var bundle = JsonDocument.Parse(stream.ToArray());
        Assert.Equal(3000, bundle.RootElement.Resources("Observation").Count());
        Assert.Equal(3000, patient.Observations);
    }

    [Fact]
    public void Without_identifiers_bundles_carry_no_name_telecom_street_or_identifier()
    {
        foreach (var (name, bundle) in cohort.Bundles)
        {
            var patient = Assert.Single(bundle.RootElement.Resources("Patient"));
            Assert.False(patient.TryGetProperty("name", out _), name);
            Assert.False(patient.TryGetProperty("telecom", out _), name);
            Assert.False(patient.TryGetProperty("identifier", out _), name);
            foreach (var address in patient.GetProperty("address").EnumerateArray())
                Assert.Equal(["state", "country"], address.EnumerateObject().Select(p => p.Name));
            Assert.All(bundle.RootElement.Resources(), r => Assert.False(r.TryGetProperty("identifier", out _), $"{name}: {r.Str("resourceType")} has an identifier"));
            Assert.DoesNotContain(bundle.RootElement.NoteTexts(), t => t.Contains("MRN", StringComparison.Ordinal) || t.Contains("Phone:", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void With_identifiers_the_same_patients_carry_synthetic_names_identifiers_and_names_in_notes()
    {
        var identified = CohortFixture.Generate(new CohortGenerator(new CohortOptions { IncludeIdentifiers = true }), 12, CohortGenerator.SampleSeed);
        foreach (var (name, bytes) in identified.Files)
        {
            using var bundle = JsonDocument.Parse(bytes);
            var patient = Assert.Single(bundle.RootElement.Resources("Patient"));
            var family = patient.GetProperty("name")[0].Str("family")!;
            Assert.Contains(patient.GetProperty("identifier").EnumerateArray(), i => i.Str("value")!.StartsWith("MRN", StringComparison.Ordinal));
            Assert.Contains(patient.GetProperty("telecom").EnumerateArray(), t => t.Str("value")!.Contains("555-01", StringComparison.Ordinal));
            Assert.True(patient.GetProperty("address")[0].TryGetProperty("line", out _));
            Assert.All(bundle.RootElement.NoteTexts(), t => Assert.Contains(family, t, StringComparison.Ordinal));
            // The clinical content is the de-identified sample's: same patient, same scenario, same results.
            var plain = cohort.Bundles[name].RootElement;
            Assert.Equal(plain.Results("2160-0", "4548-4", "8867-4"), bundle.RootElement.Results("2160-0", "4548-4", "8867-4"));
            Assert.All(bundle.RootElement.Resources("Encounter"), e => Assert.NotEmpty(e.GetProperty("identifier").EnumerateArray()));
            Assert.Equal(plain.Resources("Patient").Single().Str("birthDate"), patient.Str("birthDate"));
        }
    }

    [Fact]
    public void Manifest_lists_every_file_with_scenario_conditions_and_acute_working_diagnosis()
    {
        var manifest = cohort.ManifestDocument.RootElement;
        Assert.Equal(CohortGenerator.SampleSeed, manifest.GetProperty("seed").GetInt32());
        var files = manifest.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(cohort.Files.Keys.Order(StringComparer.Ordinal), files.Select(f => f.Str("file")!).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            var bundle = cohort.Bundles[file.Str("file")!].RootElement;
            Assert.Equal(bundle.Resources("Patient").Single().Str("id"), file.Str("patientId"));
            Assert.Contains(file.Str("scenario"), CohortScenario.All);
            var acute = file.GetProperty("acute").GetBoolean();
            Assert.Equal(acute, file.TryGetProperty("workingDiagnosis", out var dx));
            if (acute) Assert.Equal("http://snomed.info/sct", dx.Str("system"));
            else Assert.NotEqual(0, file.GetProperty("keyConditions").GetArrayLength());
            // Every key condition is an active Condition of that bundle.
            foreach (var condition in file.GetProperty("keyConditions").EnumerateArray())
                Assert.Contains(bundle.Resources("Condition"), c => c.FirstCode("code") == condition.Str("code") && c.FirstCode("clinicalStatus") == "active");
        }
    }
}
