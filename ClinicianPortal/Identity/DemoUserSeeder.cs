using System.Security.Cryptography;

namespace ClinicianPortal.Identity;

/// <summary>Where start-up messages meant for the person at the console go (never the log): the console unless a test gives a writer.</summary>
public sealed class StartupConsole(TextWriter? output = null)
{
    // Console.Out when written, not when registered: the console may be redirected in between.
    public TextWriter Out => output ?? Console.Out;
}

/// <summary>
/// On start, creates one demo user per role (named after the role) that does not exist yet. Their passwords are
/// printed to the console in Development only; they never reach the log.
/// </summary>
public sealed class DemoUserSeeder(UserStore users, PortalIdentityOptions options, IHostEnvironment environment, StartupConsole console, ILogger<DemoUserSeeder> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.SeedDemoUsers) return;
        var created = await SeedAsync(cancellationToken);
        if (created.Count == 0) return;
        if (environment.IsDevelopment())
        {
            await console.Out.WriteLineAsync("Demo users created (shown once, in Development only):");
            foreach (var (role, password) in created) await console.Out.WriteLineAsync($"  {role,-10} password: {password}");
        }
        else
        {
            logger.LogInformation("Created {Count} demo users; their passwords are shown in Development only", created.Count);
        }
    }

    /// <summary>Creates the missing demo users; returns each created user (named after its role) with its password.</summary>
    public async Task<IReadOnlyList<(string UserName, string Password)>> SeedAsync(CancellationToken cancellationToken = default)
    {
        var created = new List<(string, string)>();
        foreach (var role in Roles.All)
        {
            if (await users.FindByNameAsync(role, cancellationToken) is not null) continue;
            var password = options.DemoPassword ?? RandomPassword();
            if (await users.CreateAsync(role, role, SignInService.HashPassword(password), cancellationToken)) created.Add((role, password));
        }
        return created;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string RandomPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', '-').Replace('/', '_');
}
