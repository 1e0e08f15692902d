using System.Reflection;
using Xunit.Sdk;

namespace ClinicianPortal.Tests.Infrastructure;

/// <summary>
/// What the machine running the tests has. On a developer's machine a missing chromium or PostgreSQL
/// skips the tests that need it, with the reason shown; under CI (CI=true) nothing is skipped and a
/// missing component fails the test.
/// </summary>
public static class TestEnvironment
{
    public static bool IsCI => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>An Npgsql connection string of a role that may create databases (.ci/run sets it).</summary>
    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable("CLINICIANPORTAL_TEST_POSTGRES");

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CLINICIANPORTAL_CHROMIUM") ?? "/usr/bin/chromium";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>A path under ../shared/data (the external test data beside the repository).</summary>
    public static string SharedData(params string[] parts) =>
        Path.Combine([Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data")), .. parts]);

    /// <summary>A folder for this run's artifacts (screenshots), under the test output.</summary>
    public static string ArtifactsDirectory(string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "artifacts", name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ClinicianPortal.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("ClinicianPortal.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fact that needs Debian's chromium (Playwright tests).</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!File.Exists(TestEnvironment.ChromiumPath) && !TestEnvironment.IsCI)
            Skip = $"chromium not found at {TestEnvironment.ChromiumPath} (apt-get install chromium); CI runs this test.";
    }
}

/// <summary>A theory that needs Debian's chromium (Playwright tests, one row per case).</summary>
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute()
    {
        if (!File.Exists(TestEnvironment.ChromiumPath) && !TestEnvironment.IsCI)
            Skip = $"chromium not found at {TestEnvironment.ChromiumPath} (apt-get install chromium); CI runs this test.";
    }
}

/// <summary>A fact that needs a PostgreSQL server.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestEnvironment.PostgresConnectionString is null && !TestEnvironment.IsCI)
            Skip = "PostgreSQL not configured: set CLINICIANPORTAL_TEST_POSTGRES (.ci/run does); CI runs this test.";
    }
}

/// <summary>Theory data naming each store dialect: "sqlite" always, "postgres" as <see cref="PostgresFactAttribute"/>.</summary>
public sealed class SqliteDataAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [["sqlite"]];
}

/// <inheritdoc cref="SqliteDataAttribute"/>
public sealed class PostgresDataAttribute : DataAttribute
{
    public PostgresDataAttribute()
    {
        if (TestEnvironment.PostgresConnectionString is null && !TestEnvironment.IsCI)
            Skip = "PostgreSQL not configured: set CLINICIANPORTAL_TEST_POSTGRES (.ci/run does); CI runs this test.";
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [["postgres"]];
}
