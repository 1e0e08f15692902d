using ClinicianPortal.Data;
using Microsoft.Extensions.Configuration;

namespace ClinicianPortal.Tests.Data;

public sealed class StorageOptionsTests
{
    private static StorageOptions From(params (string Key, string? Value)[] settings) =>
        StorageOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void Defaults_are_sqlite_in_a_data_folder_beside_the_app_with_sample_seeding_on()
    {
        var options = From();

        Assert.Equal(StorageProvider.Sqlite, options.Provider);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "data"), options.DataDirectory);
        Assert.Equal($"Data Source={Path.Combine(AppContext.BaseDirectory, "data", "clinicianportal.db")}", options.ConnectionString);
        Assert.True(options.SeedSampleData);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "SampleData"), options.SampleDataDirectory);
    }

    [Fact]
    public void Shipped_appsettings_give_the_same_defaults()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();

        Assert.Equal(From(), StorageOptions.From(configuration));
        Assert.True(string.IsNullOrEmpty(configuration["Deidentification:Secret"]), "no secret may ship in appsettings.json");
    }

    [Fact]
    public void Configured_paths_and_postgresql_are_used()
    {
        var options = From(("Storage:Provider", "postgresql"), ("Storage:DataDirectory", "/var/lib/portal"),
            ("ConnectionStrings:Portal", "Host=db;Database=portal"), ("Storage:SeedSampleData", "false"), ("Storage:SampleDataDirectory", "samples"));

        Assert.Equal(StorageProvider.PostgreSQL, options.Provider);
        Assert.Equal("/var/lib/portal", options.DataDirectory);
        Assert.Equal("Host=db;Database=portal", options.ConnectionString);
        Assert.False(options.SeedSampleData);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "samples"), options.SampleDataDirectory);
    }

    [Fact]
    public void Postgresql_without_a_connection_string_or_an_unknown_provider_is_a_clear_error()
    {
        var noConnection = Assert.Throws<InvalidOperationException>(() => From(("Storage:Provider", "PostgreSQL")));
        Assert.Contains("ConnectionStrings:Portal", noConnection.Message, StringComparison.Ordinal);

        var unknown = Assert.Throws<InvalidOperationException>(() => From(("Storage:Provider", "Oracle")));
        Assert.Contains("use Sqlite or PostgreSQL", unknown.Message, StringComparison.Ordinal);
    }
}
