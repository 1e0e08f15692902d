using ClinicianPortal;
using ClinicianPortal.Cli;

if (CommandLine.IsCommand(args)) return await CommandLine.RunAsync(args);

await PortalApp.Build(args).RunAsync();
return 0;

public partial class Program;
