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
        ["bench"] = ("bench inference | patient-page | findings PATH: ONNX Runtime vs TensorPrimitives; patient page render; finding extraction", BenchCommand.RunAsync),
        ["import"] = (ImportCommand.Help, ImportCommand.RunAsync),
        ["review"] = (ReviewCommand.Help, ReviewCommand.RunAsync),
        ["apikey"] = (ApiKeyCommand.Help, ApiKeyCommand.RunAsync),
        ["eval"] = (EvalCommand.Help, EvalCommand.RunAsync),
        ["audit"] = (AuditCommand.Help, AuditCommand.RunAsync),
        ["validation"] = (ValidationCommand.Help, ValidationCommand.RunAsync),
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

    /// <summary>
    /// `dotnet run` starts a web project in its own folder, so a relative path typed at the repository root
    /// would be looked up under ClinicianPortal/. Paths given to a verb are resolved against the invoking
    /// shell's directory (PWD) when there is one, so they mean what they say.
    /// </summary>
    public static string ResolveFromShell(string path)
    {
        if (Path.IsPathRooted(path)) return path;
        var shell = Environment.GetEnvironmentVariable("PWD");
        return shell is not null && Path.IsPathRooted(shell) && Directory.Exists(shell) ? Path.Combine(shell, path) : Path.GetFullPath(path);
    }

    /// <summary>
    /// The app's configuration as verbs see it, without a web host: appsettings.json,
    /// appsettings.{environment}.json beside the app, then environment variables.
    /// </summary>
    public static IConfiguration Configuration()
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
    }
}
