using System.Diagnostics;
using System.Security.Cryptography;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Findings;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Cli;

/// <summary>
/// `bench findings FILE|DIR [--runs N]`: imports FHIR bundles in memory and times finding extraction
/// against the shipped knowledge base (median, min and p90 of N runs after a warm-up). For a long
/// record: `generate --out /tmp/long --observations 10000`, then `bench findings /tmp/long`.
/// </summary>
public static class FindingsBenchCommand
{
        public static async Task<int> RunAsync(string[] args)
    {
        var runs = 50;
        if (args.Length is not (1 or 3) || (args.Length == 3 && (args[1] != "--runs" || !int.TryParse(args[2], out runs) || runs < 1)))
        {
            Console.Error.WriteLine("Usage: bench findings FILE|DIR [--runs N]");
            return 2;
        }
        var path = CommandLine.ResolveFromShell(args[0]);
        var files = Directory.Exists(path) ? Directory.GetFiles(path, "patient-*.json").Order(StringComparer.Ordinal).ToArray()
            : File.Exists(path) ? [path] : [];
        if (files.Length == 0)
        {
            Console.Error.WriteLine($"No bundle found at '{args[0]}'.");
            return 2;
        }

        var clock = Stopwatch.StartNew();
        var kb = KnowledgeBase.LoadEmbedded();
        var extractor = new FindingExtractor(kb);
        Console.WriteLine($"Knowledge base ({kb.Findings.Count} findings) loaded and extractor built in {clock.Elapsed.TotalMilliseconds:F0} ms");
        Console.WriteLine($"{"file",-44} {"events",7} {"obs",6} {"notes",6} {"found",6} {"median ms",10} {"min ms",8} {"p90 ms",8}");

        var importer = new FhirImporter(new DeidentificationKey(RandomNumberGenerator.GetBytes(32)));
        foreach (var file in files)
        {
            ImportBatch batch;
            await using (var stream = File.OpenRead(file))
                batch = await importer.ReadAsync(Path.GetFileName(file), stream, new NoKnownIdentifiers());
            foreach (var patient in batch.Patients)
            {
                var record = PatientRecord.Build(patient, batch.Events.Where(e => e.PatientId == patient.Id));
                var found = 0;
                for (var i = 0; i < 3; i++) found = extractor.Extract(record).Findings.Count;
                var times = new double[runs];
                for (var i = 0; i < runs; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    extractor.Extract(record);
                    times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
                Array.Sort(times);
                Console.WriteLine($"{Path.GetFileName(file),-44} {record.Events.Count,7} {record.Events.Count(e => e.Kind == EventKind.Observation),6} " +
                                  $"{record.Events.Count(e => e.Kind == EventKind.Note),6} {found,6} {times[runs / 2],10:F2} {times[0],8:F2} {times[(int)(runs * 0.9)],8:F2}");
            }
        }
        return 0;
    }

    private sealed class NoKnownIdentifiers : IKnownIdentifiers
    {
        public Task<IReadOnlySet<string>> ForPatientAsync(string patientId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlySet<string>>(new HashSet<string>());
    }
}
