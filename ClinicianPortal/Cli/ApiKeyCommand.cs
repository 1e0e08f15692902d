using System.Globalization;
using ClinicianPortal.Api.Keys;
using ClinicianPortal.Data;

namespace ClinicianPortal.Cli;

/// <summary>
/// `apikey create --name N --scopes read,import [--rate 60]` | `apikey list` | `apikey revoke &lt;id&gt;`: manages API keys
/// in the configured store with <see cref="ApiKeyService"/>. The secret is printed once, at creation.
/// Exit code 0 on success, 1 when the key to revoke does not exist, 2 for usage errors.
/// </summary>
public static class ApiKeyCommand
{
    public const string Help = "apikey create --name N --scopes read,import[,case-review] [--rate 60] | list | revoke <id>";

    public static async Task<int> RunAsync(string[] args) => await RunAsync(args, Console.Out, Console.Error);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var verb = args.Length > 0 ? args[0] : "";
        if (verb is not ("create" or "list" or "revoke") || (verb == "revoke" && args.Length != 2))
        {
            await error.WriteLineAsync("Usage: ClinicianPortal " + Help);
            return 2;
        }

        await using var services = ImportCommand.BuildServices();
        var keys = new ApiKeyService(services.GetRequiredService<SqlDialect>(), services.GetRequiredService<PatientStore>(), TimeProvider.System);
        switch (verb)
        {
            case "list":
                var all = await keys.ListAsync();
                await output.WriteLineAsync($"{"id",-14} {"name",-24} {"scopes",-26} {"rate/min",8}  {"created (UTC)",-20} revoked (UTC)");
                foreach (var k in all)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{k.Id,-14} {k.Name,-24} {string.Join(',', k.Scopes),-26} {k.RatePerMinute,8}  {k.CreatedAt:yyyy-MM-dd HH:mm:ss}  {k.RevokedAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-"}"));
                }
                await output.WriteLineAsync($"{all.Count} key(s)");
                return 0;
            case "revoke":
                if (await keys.RevokeAsync(args[1]))
                {
                    await output.WriteLineAsync($"Revoked key {args[1]}: its next call is refused.");
                    return 0;
                }
                await error.WriteLineAsync($"apikey: no active key with id '{args[1]}' (see `apikey list`).");
                return 1;
            default:
                return await CreateAsync(keys, args[1..], output, error);
        }
    }

    private static async Task<int> CreateAsync(ApiKeyService keys, string[] args, TextWriter output, TextWriter error)
    {
        string? name = null, scopes = null, rate = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--name" when value is not null: name = value; i++; break;
                case "--scopes" when value is not null: scopes = value; i++; break;
                case "--rate" when value is not null: rate = value; i++; break;
                default:
                    await error.WriteLineAsync($"apikey create: unexpected '{args[i]}'. Usage: ClinicianPortal {Help}");
                    return 2;
            }
        }
        if (name is null || scopes is null)
        {
            await error.WriteLineAsync($"apikey create: --name and --scopes are required. Usage: ClinicianPortal {Help}");
            return 2;
        }
        var perMinute = ApiKeyService.DefaultRatePerMinute;
        if (rate is not null && !int.TryParse(rate, NumberStyles.None, CultureInfo.InvariantCulture, out perMinute))
        {
            await error.WriteLineAsync($"apikey create: --rate must be a whole number of requests per minute, not '{rate}'.");
            return 2;
        }
        try
        {
            var created = await keys.CreateAsync(name, scopes.Split(','), perMinute);
            await output.WriteLineAsync($"Created key {created.Key.Id} \"{created.Key.Name}\" (scopes {string.Join(',', created.Key.Scopes)}, {created.Key.RatePerMinute}/min).");
            await output.WriteLineAsync("The key, shown this once only (only its hash is stored):");
            await output.WriteLineAsync(created.Token);
            return 0;
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"apikey create: {ex.Message.Split(" (Parameter", 2)[0]}");
            return 2;
        }
    }
}
