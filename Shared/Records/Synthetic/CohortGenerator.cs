using System.Globalization;
using System.Text.Json;

namespace ClinicianPortal.Shared.Records.Synthetic;

/// <summary>Options of a synthetic cohort; the defaults produce the shipped, de-identified sample.</summary>
public sealed record CohortOptions
{
    /// <summary>"Now" for the cohort: histories end here and acute encounters are open at this moment.</summary>
    public static readonly DateTimeOffset DefaultReferenceDate = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public DateTimeOffset ReferenceDate { get; init; } = DefaultReferenceDate;

    /// <summary>Add synthetic names, addresses, phone, MRN/SSN identifiers and names inside notes, as real exports carry.</summary>
    public bool IncludeIdentifiers { get; init; }

    /// <summary>Pad each patient with home readings up to this many Observations (benchmarks of long records).</summary>
    public int? ObservationsPerPatient { get; init; }
}

/// <summary>One generated patient file, as listed in MANIFEST.json.</summary>
public sealed record CohortPatient(
    string File,
    string PatientId,
    string Scenario,
    bool Acute,
    string Sex,
    int Age,
    int HistoryYears,
    bool Deceased,
    IReadOnlyList<Coding> KeyConditions,
    Coding? WorkingDiagnosis,
    IReadOnlyList<Coding> PresentingComplaints,
    int Resources,
    int Observations);

/// <summary>
/// Deterministic generator of a synthetic FHIR R4 cohort: one transaction bundle per patient, with
/// multi-year histories that exercise the clinical features (trends, admissions, acute presentations
/// with notes). The same seed gives the same bytes on every machine: a fixed PRNG, a fixed reference
/// date, invariant formatting. Each patient streams to its own Stream, so cohorts of any size fit.
/// </summary>
public sealed class CohortGenerator(CohortOptions? options = null)
{
    /// <summary>The seed and size of the sample shipped in ClinicianPortal/SampleData.</summary>
    public const int SampleSeed = 20250601;

    /// <inheritdoc cref="SampleSeed"/>
    public const int SamplePatients = 30;

    public const string ManifestFileName = "MANIFEST.json";

    private readonly CohortOptions options = options ?? new CohortOptions();

    public CohortOptions Options => options;

    /// <summary>
    /// Writes <paramref name="patients"/> bundles, each to the stream <paramref name="openFile"/> returns
    /// for its file name (the generator disposes it), and returns the manifest entries.
    /// </summary>
    public IReadOnlyList<CohortPatient> GenerateCohort(int patients, int seed, Func<string, Stream> openFile, Action<CohortPatient>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patients);
        ArgumentNullException.ThrowIfNull(openFile);
        var entries = new List<CohortPatient>(patients);
        for (var index = 0; index < patients; index++)
        {
            var name = FileName(index, patients);
            using var stream = openFile(name);
            var entry = GeneratePatient(index, seed, stream, name);
            entries.Add(entry);
            progress?.Invoke(entry);
        }
        return entries;
    }

    /// <summary>Writes patient <paramref name="index"/> of the cohort with this seed (independent of the others).</summary>
    public CohortPatient GeneratePatient(int index, int seed, Stream output, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var rng = SyntheticRandom.ForPatient(seed, index);
        var plan = PatientPlan.Draw(index, rng, options.ReferenceDate);
        var identities = options.IncludeIdentifiers ? SyntheticRandom.ForPatient(~seed, index) : null;
        using var fhir = new FhirBundleWriter(output);
        var patient = new PatientGenerator(plan, rng, fhir, identities, options.ObservationsPerPatient);
        patient.Write();
        return new CohortPatient(
            fileName ?? FileName(index, index + 1),
            patient.PatientId,
            plan.Scenario,
            plan.Acute,
            plan.Female ? "female" : "male",
            plan.Age,
            plan.HistoryYears,
            plan.Deceased,
            patient.KeyConditions,
            PatientGenerator.WorkingDiagnosisOf(plan.Scenario),
            patient.PresentingComplaints,
            fhir.ResourceCount,
            patient.ObservationCount);
    }

    /// <summary>patient-0001-type2-diabetes.json; the number is wide enough for the cohort size.</summary>
    public static string FileName(int index, int patients)
    {
        var width = Math.Max(4, patients.ToString(CultureInfo.InvariantCulture).Length);
        var scenario = CohortScenario.All[index % CohortScenario.All.Count];
        return $"patient-{(index + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width, '0')}-{scenario}.json";
    }

    /// <summary>MANIFEST.json: how the cohort was made and, per file, its scenario, key conditions and working diagnosis.</summary>
    public void WriteManifest(Stream output, int seed, IReadOnlyList<CohortPatient> patients)
    {
        ArgumentNullException.ThrowIfNull(patients);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("generator", typeof(CohortGenerator).FullName);
        json.WriteString("command", Command(patients.Count, seed));
        json.WriteNumber("seed", seed);
        json.WriteNumber("patients", patients.Count);
        json.WriteString("referenceDate", FhirBundleWriter.FormatDateTime(options.ReferenceDate));
        json.WriteBoolean("includeIdentifiers", options.IncludeIdentifiers);
        if (options.ObservationsPerPatient is { } n) json.WriteNumber("observationsPerPatient", n);
        json.WriteString("note", "Synthetic data: every patient, date and value is fictitious. Acute scenarios end in an open emergency encounter; workingDiagnosis is the diagnosis the presentation was built for and is not coded in the bundle.");
        json.WriteStartArray("files");
        foreach (var p in patients)
        {
            json.WriteStartObject();
            json.WriteString("file", p.File);
            json.WriteString("patientId", p.PatientId);
            json.WriteString("scenario", p.Scenario);
            json.WriteBoolean("acute", p.Acute);
            json.WriteString("sex", p.Sex);
            json.WriteNumber("age", p.Age);
            json.WriteNumber("historyYears", p.HistoryYears);
            json.WriteBoolean("deceased", p.Deceased);
            WriteCodings(json, "keyConditions", p.KeyConditions);
            if (p.WorkingDiagnosis is { } dx)
            {
                json.WritePropertyName("workingDiagnosis");
                WriteCoding(json, dx);
                WriteCodings(json, "presentingComplaints", p.PresentingComplaints);
            }
            json.WriteNumber("resources", p.Resources);
            json.WriteNumber("observations", p.Observations);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    /// <summary>The CLI command that regenerates a cohort with these options.</summary>
    public string Command(int patients, int seed)
    {
        var command = string.Create(CultureInfo.InvariantCulture, $"dotnet run --project ClinicianPortal -- generate --out <dir> --patients {patients} --seed {seed}");
        if (options.ObservationsPerPatient is { } n) command += string.Create(CultureInfo.InvariantCulture, $" --observations {n}");
        if (options.IncludeIdentifiers) command += " --with-identifiers";
        return command;
    }

    private static void WriteCodings(Utf8JsonWriter json, string name, IReadOnlyList<Coding> codings)
    {
        json.WriteStartArray(name);
        foreach (var coding in codings) WriteCoding(json, coding);
        json.WriteEndArray();
    }

    private static void WriteCoding(Utf8JsonWriter json, Coding coding)
    {
        json.WriteStartObject();
        json.WriteString("system", coding.System);
        json.WriteString("code", coding.Code);
        json.WriteString("display", coding.Display);
        json.WriteEndObject();
    }
}
