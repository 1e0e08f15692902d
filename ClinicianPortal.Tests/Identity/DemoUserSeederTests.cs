using ClinicianPortal.Identity;
using ClinicianPortal.Tests.Data;
using ClinicianPortal.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicianPortal.Tests.Identity;

/// <summary>One demo user per role on first start, never twice; their passwords on the console in Development only.</summary>
public sealed class DemoUserSeederTests
{
    [Theory, SqliteData, PostgresData]
    public async Task Seeding_creates_one_user_per_role_once_and_keeps_their_passwords(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var users = new UserStore(db.Dialect, db.Store);
        var seeder = new DemoUserSeeder(users, new PortalIdentityOptions(), new Environment("Development"), new StartupConsole(TextWriter.Null),
            NullLogger<DemoUserSeeder>.Instance);

        var first = await seeder.SeedAsync();
        Assert.Equal(Roles.All, first.Select(u => u.UserName));
        Assert.Equal(4, first.Select(u => u.Password).Distinct().Count()); // random, one each
        Assert.Empty(await seeder.SeedAsync());

        await using (var connection = db.Dialect.CreateConnection())
            Assert.Equal(4, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users"));
        var signIn = new SignInService(users, new PortalIdentityOptions(), TimeProvider.System, NullLogger<SignInService>.Instance);
        foreach (var (role, password) in first)
        {
            var result = await signIn.PasswordSignInAsync(role, password);
            Assert.Equal(role, result.User?.Role);
        }
    }

    [Fact]
    public async Task Development_prints_the_demo_credentials_to_the_console_only()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = new IdentityTestApp("Development", services: s => s.AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));
        using var client = app.NewClient();

        Assert.Contains($"physician  password: {IdentityTestApp.DemoPassword}", app.Console.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(IdentityTestApp.DemoPassword, logs.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a configured demo password")]
    [InlineData(null)]
    public async Task Production_never_prints_or_logs_credentials(string? demoPassword)
    {
        var logs = new CapturingLoggerProvider();
        await using var app = new IdentityTestApp("Production",
            new Dictionary<string, string?> { ["Identity:DemoPassword"] = demoPassword ?? "" },
            s => s.AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));
        using var client = app.NewClient();

        Assert.Equal("", app.Console.ToString());
        Assert.Contains("Created 4 demo users", logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("password:", logs.Text, StringComparison.OrdinalIgnoreCase);
        if (demoPassword is not null) Assert.DoesNotContain(demoPassword, logs.Text, StringComparison.Ordinal);
        // The demo users exist all the same.
        Assert.NotNull(await app.Factory.Services.GetRequiredService<UserStore>().FindByNameAsync(Roles.Admin));
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "ClinicianPortal";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
