using System.Globalization;
using ClinicianPortal.Data;
using ClinicianPortal.Import;

namespace ClinicianPortal.Cli;

/// <summary>
/// `import &lt;file-or-folder&gt; [...]`: imports FHIR bundles and NDJSON into the configured store with the
/// app's own services and configuration (appsettings.json + environment), without starting the web host.
/// Exit code 0 when every file was imported, 1 when any failed, 2 for usage errors.
/// </summary>
public static class ImportCommand
{
    public const string Help = "import <file-or-folder> [...]  import FHIR R4 bundles (*.json) and bulk NDJSON (*.ndjson)";

    public static async Task<int> RunAsync(string[] args)
    {
        var output = Console.Out;
        if (args.Length == 0 || args.Any(a => a is "-h" or "--help"))
        {
            await Console.Error.WriteLineAsync("Usage: ClinicianPortal import <file-or-folder> [...]\n" +
                "  Folders are searched recursively for *.json bundles and *.ndjson files.");
            return 2;
        }
        var paths = args.Select(CommandLine.ResolveFromShell).ToArray();
        var missing = args.Where((a, i) => !File.Exists(paths[i]) && !Directory.Exists(paths[i])).ToList();
        if (missing.Count > 0)
        {
            foreach (var path in missing) await Console.Error.WriteLineAsync($"import: no such file or folder: {path}");
            return 2;
        }
        var files = ImportService.CollectFiles(paths);
        if (files.Count == 0)
        {
            await Console.Error.WriteLineAsync($"import: no FHIR files (*.json bundles, *.ndjson) in {string.Join(", ", args)}");
            return 2;
        }

        await using var services = BuildServices();
        var options = services.GetRequiredService<StorageOptions>();
        await output.WriteLineAsync($"Importing {files.Count} file(s) into {options.Provider} ({Describe(options)})");

        var progress = new SynchronousProgress<ImportProgress>(p =>
        {
            if (p.CurrentFile is not null)
                output.WriteLine($"[{p.FilesDone + 1}/{p.FilesTotal}] {p.CurrentFile}  ({p.ResourcesSoFar} resources so far)");
        });
        var summary = await services.GetRequiredService<ImportService>().ImportAsync(files, progress);

        await output.WriteLineAsync(FormatSummary(summary));
        return summary.Failed == 0 ? 0 : 1;
    }

    /// <summary>The same configuration and services as the web app, minus the web host and its hosted services.</summary>
    public static ServiceProvider BuildServices()
    {
        var configuration = CommandLine.Configuration();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(); // no console logger: the command prints its own progress and table
        services.AddPatientData(configuration);
        services.AddImport();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static string Describe(StorageOptions options) =>
        options.Provider == StorageProvider.Sqlite ? Path.Combine(options.DataDirectory, StorageOptions.SqliteFileName) : "ConnectionStrings:Portal";

    /// <summary>One row per file (file, status, resources, skipped, seconds), the errors, and a total line.</summary>
    public static string FormatSummary(ImportSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var c = CultureInfo.InvariantCulture;
        var width = Math.Max(4, summary.Files.Select(f => f.FileName.Length).DefaultIfEmpty(0).Max());
        var text = new System.Text.StringBuilder();
        text.AppendLine();
        text.AppendLine(c, $"{"File".PadRight(width)}  {"Status",-6}  {"Resources",9}  {"Skipped",7}  {"Seconds",7}");
        text.AppendLine(new string('-', width + 41));
        foreach (var f in summary.Files)
            text.AppendLine(c, $"{f.FileName.PadRight(width)}  {(f.Succeeded ? "ok" : "FAILED"),-6}  {f.Resources,9}  {f.Skipped,7}  {f.Duration.TotalSeconds,7:0.00}");
        foreach (var f in summary.Files.Where(f => !f.Succeeded))
            text.AppendLine(c, $"error: {f.FileName}: {f.Error}");
        text.Append(c, $"Total: {summary.Files.Count} files, {summary.Succeeded} imported, {summary.Failed} failed; ");
        text.Append(c, $"{summary.Resources} resources in {summary.Duration.TotalSeconds:0.00} s ({summary.ResourcesPerSecond:0} resources/s)");
        return text.ToString();
    }
}
