using ClinicianPortal.Import;
using ClinicianPortal.Tests.Data;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicianPortal.Tests.Import;

public sealed class SampleDataSeederTests
{
    private static SampleDataSeeder Seeder(TestDatabase db, string sampleFolder, ListLogger<SampleDataSeeder> logger, bool seed = true) =>
        new(db.Options with { SampleDataDirectory = sampleFolder, SeedSampleData = seed }, db.Store,
            new ImportService(ImportTestKit.Importer(), db.Store, db.Store, NullLogger<ImportService>.Instance), logger);

    [Theory, SqliteData, PostgresData]
    public async Task An_empty_store_is_filled_from_the_sample_folder_once(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        var samples = ImportFiles.FolderWith(db.DataDirectory, ImportFiles.Small1, ImportFiles.Small2);
        File.WriteAllText(Path.Combine(samples, "MANIFEST.json"), """{"files":[{"file":"a.json"}]}""");
        var logger = new ListLogger<SampleDataSeeder>();

        await Seeder(db, samples, logger).StartAsync(CancellationToken.None);
        Assert.Equal(2, await db.Store.CountPatientsAsync());
        Assert.DoesNotContain(logger.Messages, m => m.Contains("could not be imported", StringComparison.Ordinal));
        var imports = await db.CountAsync("import_log");

        File.Copy(ImportFiles.Small3, Path.Combine(samples, "third.json"));
        await Seeder(db, samples, logger).StartAsync(CancellationToken.None);

        Assert.Equal(2, await db.Store.CountPatientsAsync());
        Assert.Equal(imports, await db.CountAsync("import_log"));
        Assert.Contains(logger.Messages, m => m.Contains("importing 2 sample files", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_sample_folder_is_logged_and_the_app_starts_empty()
    {
        await using var db = await TestDatabase.CreateAsync("sqlite");
        var logger = new ListLogger<SampleDataSeeder>();
        var missing = Path.Combine(db.DataDirectory, "SampleData");

        await Seeder(db, missing, logger).StartAsync(CancellationToken.None);

        Assert.Equal(0, await db.Store.CountPatientsAsync());
        var message = Assert.Single(logger.Messages);
        Assert.Contains($"No sample data in {missing}", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seeding_switched_off_imports_nothing()
    {
        await using var db = await TestDatabase.CreateAsync("sqlite");
        var samples = ImportFiles.FolderWith(db.DataDirectory, ImportFiles.Small1);
        var logger = new ListLogger<SampleDataSeeder>();

        await Seeder(db, samples, logger, seed: false).StartAsync(CancellationToken.None);

        Assert.Equal(0, await db.Store.CountPatientsAsync());
        Assert.Empty(logger.Messages);
    }
}

/// <summary>Keeps formatted log messages for assertions.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    public List<string> Messages { get; } = [];
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Messages) Messages.Add(formatter(state, exception));
    }
}
