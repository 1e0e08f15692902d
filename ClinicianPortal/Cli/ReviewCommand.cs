using ClinicianPortal.CaseReview;
using ClinicianPortal.Import;
using ClinicianPortal.Shared.Inference;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Shared.Reasoning.Findings;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using ClinicianPortal.Shared.Records;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicianPortal.Cli;

/// <summary>
/// `review &lt;bundle-or-ndjson&gt; [...]`: reviews the patients of FHIR files without importing anything.
/// The files are de-identified in memory with a throw-away random key (so pseudonyms differ from run to run
/// and from the portal's: nothing here may be joined with stored data, and the portal's secret is not read),
/// the differential model is compiled into a temporary models folder that is deleted afterwards, and the
/// reviews are printed as a JSON array on stdout. No database is opened.
/// Exit code 0 on success, 1 when a file cannot be read or the review cannot run, 2 for usage errors.
/// </summary>
public static class ReviewCommand
{
    public const string Help = "review <bundle-or-ndjson> [...]  case review of FHIR files as JSON, importing nothing (NDJSON: include Patient.ndjson)";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args.Any(a => a.StartsWith('-')))
        {
            await Console.Error.WriteLineAsync("Usage: ClinicianPortal review <bundle-or-ndjson> [...]\n" +
                "  Prints the case review of every patient in the files as JSON; nothing is imported or stored.\n" +
                "  Bulk NDJSON sets need their Patient file too. Folders are searched for *.json and *.ndjson.");
            return 2;
        }
        var paths = args.Select(CommandLine.ResolveFromShell).ToArray();
        foreach (var (arg, path) in args.Zip(paths))
        {
            if (File.Exists(path) || Directory.Exists(path)) continue;
            await Console.Error.WriteLineAsync($"review: cannot read '{arg}': no such file or folder");
            return 1;
        }
        // Patient files first, so that identifiers they hold are known when the notes of other files are scrubbed.
        var files = ImportService.CollectFiles(paths)
            .OrderBy(f => Path.GetFileName(f).StartsWith("Patient", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ToList();
        if (files.Count == 0)
        {
            await Console.Error.WriteLineAsync($"review: no FHIR files (*.json bundles, *.ndjson) in {string.Join(", ", args)}");
            return 2;
        }

        List<PatientRecord> records;
        try
        {
            records = await TransientRecords.ReadAsync([.. files.Select(f => new TransientFile(Path.GetFileName(f), () => File.OpenRead(f)))]);
        }
        catch (TransientRecordsException e)
        {
            await Console.Error.WriteLineAsync("review: " + e.Message);
            return 1;
        }

        return await WithReviewerAsync("review", async (reviewer, _, _) =>
        {
            var reviews = records.Select(r => reviewer.Review(r)).ToList();
            await Console.Out.WriteLineAsync(CaseReviewJson.Serialize(reviews, indented: true));
            return 0;
        });
    }

    /// <summary>
    /// Runs <paramref name="body"/> with a case reviewer over the embedded knowledge base, its model compiled into a
    /// throw-away models folder (so that a command never touches the app's); 1 with a message when inference cannot run.
    /// </summary>
    internal static async Task<int> WithReviewerAsync(string verb, Func<CaseReviewer, IFindingExtractor, InferenceHost, Task<int>> body)
    {
        var models = Path.Combine(Path.GetTempPath(), $"clinicianportal-{verb}-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = InferenceOptionsFromConfiguration();
            options.ModelsDirectory = models;
            using var host = new InferenceHost(options, NullLoggerFactory.Instance);
            if (host.Runtime is null)
            {
                await Console.Error.WriteLineAsync($"{verb}: inference is unavailable: " + host.RuntimeError);
                return 1;
            }
            var kb = KnowledgeBase.LoadEmbedded();
            var extractor = new FindingExtractor(kb);
            return await body(new CaseReviewer(kb, extractor, DifferentialModelInstaller.CreateEngine(kb, host.Models)), extractor, host);
        }
        catch (Shared.Inference.Models.ModelUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"{verb}: the differential model is unavailable: " + e.Message);
            return 1;
        }
        finally
        {
            if (Directory.Exists(models)) Directory.Delete(models, recursive: true);
        }
    }

    /// <summary>The app's Inference section (appsettings.json, appsettings.{environment}.json, environment variables).</summary>
    internal static InferenceOptions InferenceOptionsFromConfiguration()
    {
        var configuration = CommandLine.Configuration();
        var options = new InferenceOptions();
        configuration.GetSection(InferenceOptions.Section).Bind(options);
        return options;
    }
}
