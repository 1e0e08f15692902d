using System.Globalization;
using ClinicianPortal.Data;
using ClinicianPortal.Validation;

namespace ClinicianPortal.Cli;

/// <summary>
/// `validation sample [--per-stratum N]`: tops the validation queue up from the audit trail (stratified by model version
/// and task; a second run adds nothing). `validation export FILE`: writes the rated outputs as JSON Lines.
/// </summary>
public static class ValidationCommand
{
    public const string Help = "validation sample [--per-stratum N] | export FILE   sample audited outputs into the queue; export ratings (JSONL)";

    public static async Task<int> RunAsync(string[] args)
    {
        int? perStratum = null;
        switch (args)
        {
            case ["sample"]:
                break;
            case ["sample", "--per-stratum", var n] when int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0:
                perStratum = size;
                break;
            case ["export", var file]:
                return await ExportAsync(CommandLine.ResolveFromShell(file));
            default:
                await Console.Error.WriteLineAsync("Usage: ClinicianPortal validation sample [--per-stratum N]  |  validation export FILE");
                return 2;
        }
        await using var services = BuildServices();
        var result = await services.GetRequiredService<ValidationStore>().SampleAsync(perStratum);
        await Console.Out.WriteLineAsync(Format(result));
        return 0;
    }

    public static string Format(SamplingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new System.Text.StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"{"Model",-24} {"Version",-16} {"Task",-13} {"Added",5} {"Queued",6} {"Outputs",7}");
        foreach (var s in result.Strata)
            text.AppendLine(c, $"{s.Stratum.ModelId,-24} {s.Stratum.ModelVersion,-16} {s.Stratum.Task.ToString().ToLowerInvariant(),-13} {s.Added,5} {s.Total,6} {s.Available,7}");
        text.Append(c, $"{result.Added} item(s) added to the validation queue.");
        return text.ToString();
    }

    private static async Task<int> ExportAsync(string path)
    {
        await using var services = BuildServices();
        int lines;
        await using (var file = File.Create(path))
            lines = await ValidationExport.WriteAsync(services.GetRequiredService<ValidationStore>().RatedAsync(), file);
        await Console.Out.WriteLineAsync($"{lines} rated output(s) written to {path}");
        return 0;
    }

    private static ServiceProvider BuildServices()
    {
        var configuration = CommandLine.Configuration();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddPatientData(configuration);
        services.AddValidation(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
