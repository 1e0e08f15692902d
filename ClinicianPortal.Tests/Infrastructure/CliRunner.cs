using ClinicianPortal.Cli;

namespace ClinicianPortal.Tests.Infrastructure;

/// <summary>
/// Runs a command-line verb in-process and captures what it prints. Console and environment are
/// process-wide, so tests that use this belong to the <see cref="ConsoleAndEnvironment"/> collection.
/// </summary>
public static class CliRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var (savedOut, savedError) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var exitCode = await CommandLine.RunAsync(args);
            return (exitCode, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(savedOut);
            Console.SetError(savedError);
        }
    }
}
