using ClinicianPortal.Audit;
using ClinicianPortal.Data;

namespace ClinicianPortal.Cli;

/// <summary>
/// `audit verify`: checks the hash chain of the audit log in the configured store. Exit code 0 when intact,
/// 1 with the first broken record and why (altered, deleted, reordered, link broken), 2 for usage errors.
/// </summary>
public static class AuditCommand
{
    public const string Help = "audit verify  check the audit log's hash chain (exit 0 intact, 1 broken)";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not ["verify"])
        {
            await Console.Error.WriteLineAsync("Usage: ClinicianPortal audit verify");
            return 2;
        }
        await using var services = ImportCommand.BuildServices();
        var store = new AuditStore(services.GetRequiredService<SqlDialect>(), services.GetRequiredService<PatientStore>(), TimeProvider.System);
        var result = await store.VerifyAsync();
        if (result.Intact)
        {
            await Console.Out.WriteLineAsync(result.ToString());
            await Console.Out.WriteLineAsync("(Deleting the newest records cannot be seen from the chain: compare the count and head hash with a copy kept elsewhere.)");
            return 0;
        }
        await Console.Error.WriteLineAsync(result.ToString());
        return 1;
    }
}
