namespace ClinicianPortal.Cli;

/// <summary>
/// The app's command-line verbs (`dotnet run --project ClinicianPortal -- VERB ...`). Without a verb
/// the web app starts. Each feature registers its verb here and keeps its code in its own file.
/// </summary>
public static class CommandLine
{
    private static readonly Dictionary<string, (string Help, Func<string[], Task<int>> Run)> Verbs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["generate"] = (GenerateCommand.Help, GenerateCommand.RunAsync),
        ["bench"] = ("bench inference: ONNX Runtime vs TensorPrimitives on a differential-sized model", BenchCommand.RunAsync),
        ["import"] = (ImportCommand.Help, ImportCommand.RunAsync),
        ["bench-findings"] = (FindingsBenchCommand.Help, FindingsBenchCommand.RunAsync),
    };

    public static bool IsCommand(string[] args) => args.Length > 0 && (Verbs.ContainsKey(args[0]) || args[0] is "help" or "--help");

    public static async Task<int> RunAsync(string[] args)
    {
        if (args[0] is "help" or "--help" || !Verbs.TryGetValue(args[0], out var verb))
        {
            Console.WriteLine("Usage: ClinicianPortal [VERB args]   (no verb: run the web app)");
            foreach (var (name, v) in Verbs) Console.WriteLine($"  {name,-10} {v.Help}");
            return args[0] is "help" or "--help" ? 0 : 2;
        }
        return await verb.Run(args[1..]);
    }
}
