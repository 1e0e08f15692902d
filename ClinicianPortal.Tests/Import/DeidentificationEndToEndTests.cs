using System.Text;
using System.Text.RegularExpressions;
using ClinicianPortal.Import;
using ClinicianPortal.Tests.Data;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.Records;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClinicianPortal.Tests.Import;

/// <summary>
/// Safe Harbor end to end: a bundle planted with identifiers of every category (in fields and in note
/// text), under a file name that is itself a patient's name, goes through the app's own import into a
/// real database with every log level captured. No planted identifier may be found in any table or
/// any log line, and that holds for a failed import of the same file too.
/// </summary>
public sealed partial class DeidentificationEndToEndTests
{
    private static readonly string PlantedPath = Path.Combine(TestEnvironment.RepositoryRoot, "ClinicianPortal.Tests", "Records", "TestData", "planted-identifiers.json");
    private const string FileNamedAfterPatient = "Jonathan_Quincy_Wexford_00482913.json";

    [Theory, SqliteData, PostgresData]
    public async Task No_planted_identifier_reaches_the_database_or_the_logs(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var logs = new CapturingLoggerProvider();
        var folder = Directory.CreateDirectory(Path.Combine(db.DataDirectory, "upload")).FullName;
        File.Copy(PlantedPath, Path.Combine(folder, FileNamedAfterPatient));
        // The same content cut short: its failure is logged and recorded in the import log.
        var broken = File.ReadAllText(PlantedPath);
        File.WriteAllText(Path.Combine(folder, "Marguerite_Smythe_broken.json"), broken[..(broken.Length / 2)]);

        await using (var app = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            foreach (var (key, value) in db.Settings) b.UseSetting(key, value);
            b.ConfigureLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        }))
        {
            var summary = await app.Services.GetRequiredService<ImportService>().ImportAsync([folder]);
            Assert.Equal(1, summary.Succeeded);
            Assert.Equal(1, summary.Failed);
            Assert.True(summary.Files.Single(f => f.Succeeded).Events > 0);
        }

        var database = WithAttachmentsDecoded(await db.SnapshotAsync());
        var logText = logs.Text;
        Assert.Contains("Could not import", logText, StringComparison.Ordinal);
        foreach (var (category, planted) in Planted())
        {
            Assert.False(database.Contains(planted, StringComparison.OrdinalIgnoreCase), $"a planted {category} identifier ({planted}) is in the database");
            Assert.False(logText.Contains(planted, StringComparison.OrdinalIgnoreCase), $"a planted {category} identifier ({planted}) is in the logs");
        }
    }

    private static IEnumerable<(string Category, string Value)> Planted() =>
        DeidentificationTests.PlantedIdentifiers().Select(row => ((string)row[0], (string)row[1]));

    /// <summary>Notes are stored base64-encoded inside the source JSON: search their text too.</summary>
    private static string WithAttachmentsDecoded(string snapshot)
    {
        var text = new StringBuilder(snapshot);
        foreach (Match m in Base64Data().Matches(snapshot))
        {
            try { text.AppendLine(Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value))); }
            catch (FormatException) { /* not base64 after all */ }
        }
        return text.ToString();
    }

    [GeneratedRegex("""data\\?"\s*:\s*\\?"([A-Za-z0-9+/=]{8,})""")]
    private static partial Regex Base64Data();
}
