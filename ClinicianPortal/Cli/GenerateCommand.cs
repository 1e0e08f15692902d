using System.Diagnostics;
using System.Globalization;
using ClinicianPortal.Shared.Records.Synthetic;

namespace ClinicianPortal.Cli;

/// <summary>
/// `generate --out DIR [--patients N] [--seed S] [--observations N] [--with-identifiers]`: writes a
/// synthetic FHIR R4 cohort, one transaction bundle per patient plus MANIFEST.json. The shipped
/// SampleData folder is exactly `generate --out ClinicianPortal/SampleData` with the defaults.
/// </summary>
public static class GenerateCommand
{
    private const string Usage = "--out DIR [--patients N] [--seed S] [--observations N] [--with-identifiers]";

    public const string Help = "write a synthetic FHIR cohort: " + Usage;

    public static Task<int> RunAsync(string[] args)
    {
        string? outDir = null;
        int? patients = null;
        var seed = CohortGenerator.SampleSeed;
        int? observations = null;
        var identifiers = false;
        for (var i = 0; i < args.Length; i++)
        {
            var option = args[i];
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (option)
            {
                case "--with-identifiers": identifiers = true; continue;
                case "--out" when value is not null: outDir = value; break;
                case "--patients" when TryCount(value, out var n): patients = n; break;
                case "--observations" when TryCount(value, out var o): observations = o; break;
                case "--seed" when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s): seed = s; break;
                case "--out" or "--patients" or "--observations" or "--seed":
                    return Fail($"{option} expects {(option == "--out" ? "a folder" : option == "--seed" ? "a whole number" : "a positive whole number")}, got '{value}'.");
                default:
                    return Fail($"unknown option '{option}'.");
            }
            i++;
        }
        if (outDir is null) return Fail("--out DIR is required.");
        outDir = CommandLine.ResolveFromShell(outDir);
        // One long record is the point of --observations, so it defaults to a single patient.
        var count = patients ?? (observations is null ? CohortGenerator.SamplePatients : 1);
        var generator = new CohortGenerator(new CohortOptions { IncludeIdentifiers = identifiers, ObservationsPerPatient = observations });

        Directory.CreateDirectory(outDir);
        foreach (var stale in Directory.EnumerateFiles(outDir, "patient-*.json")) File.Delete(stale);
        Console.WriteLine($"Generating {count} patients (seed {seed}{(identifiers ? ", with synthetic identifiers" : ", de-identified")}{(observations is { } x ? $", {x} observations each" : "")}) into {Path.GetFullPath(outDir)}");

        var clock = Stopwatch.StartNew();
        var step = Math.Max(1, count / 10);
        long bytes = 0, resources = 0, observationTotal = 0;
        var written = 0;
        var cohort = generator.GenerateCohort(count, seed,
            name => new FileStream(Path.Combine(outDir, name), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16),
            patient =>
            {
                written++;
                bytes += new FileInfo(Path.Combine(outDir, patient.File)).Length;
                resources += patient.Resources;
                observationTotal += patient.Observations;
                if (written % step == 0 || written == count)
                    Console.WriteLine($"  {written}/{count} patients, {resources} resources, {bytes / 1048576.0:F1} MB, {clock.Elapsed.TotalSeconds:F1} s");
            });
        using (var manifest = File.Create(Path.Combine(outDir, CohortGenerator.ManifestFileName)))
            generator.WriteManifest(manifest, seed, cohort);
        clock.Stop();

        Console.WriteLine($"Wrote {cohort.Count} bundles ({resources} resources, {observationTotal} observations, {bytes / 1048576.0:F2} MB) and {CohortGenerator.ManifestFileName} in {clock.Elapsed.TotalSeconds:F2} s.");
        foreach (var group in cohort.GroupBy(p => p.Scenario).OrderBy(g => g.Key, StringComparer.Ordinal))
            Console.WriteLine($"  {group.Key,-30} {group.Count()}");
        return Task.FromResult(0);
    }

    private static bool TryCount(string? text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;

    private static Task<int> Fail(string message)
    {
        Console.Error.WriteLine("generate: " + message);
        Console.Error.WriteLine("usage: generate " + Usage);
        return Task.FromResult(2);
    }
}
