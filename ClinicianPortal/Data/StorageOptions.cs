namespace ClinicianPortal.Data;

public enum StorageProvider { Sqlite, PostgreSQL }

/// <summary>
/// The "Storage" configuration section, with relative paths resolved against the app's folder
/// (AppContext.BaseDirectory), so that the app finds its data wherever it is started from.
/// </summary>
public sealed record StorageOptions
{
    public StorageProvider Provider { get; init; } = StorageProvider.Sqlite;
    /// <summary>Holds the SQLite database and the generated de-identification key.</summary>
    public required string DataDirectory { get; init; }
    /// <summary>ADO.NET connection string (ConnectionStrings:Portal); for SQLite the default is a file in <see cref="DataDirectory"/>.</summary>
    public required string ConnectionString { get; init; }
    /// <summary>Import the shipped sample bundles when the store holds no patient.</summary>
    public bool SeedSampleData { get; init; } = true;
    public required string SampleDataDirectory { get; init; }

    public const string SqliteFileName = "clinicianportal.db";

    public static StorageOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Storage");
        var providerText = section["Provider"];
        StorageProvider provider;
        if (string.IsNullOrWhiteSpace(providerText)) provider = StorageProvider.Sqlite;
        else if (!Enum.TryParse(providerText, ignoreCase: true, out provider) || !Enum.IsDefined(provider))
            throw new InvalidOperationException($"Storage:Provider '{providerText}' is not supported: use Sqlite or PostgreSQL.");

        var dataDirectory = ResolvePath(section["DataDirectory"], "data");
        var connectionString = configuration.GetConnectionString("Portal");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == StorageProvider.PostgreSQL)
                throw new InvalidOperationException("Storage:Provider is PostgreSQL but ConnectionStrings:Portal is not set.");
            connectionString = $"Data Source={Path.Combine(dataDirectory, SqliteFileName)}";
        }

        return new StorageOptions
        {
            Provider = provider,
            DataDirectory = dataDirectory,
            ConnectionString = connectionString,
            SeedSampleData = section.GetValue("SeedSampleData", true),
            SampleDataDirectory = ResolvePath(section["SampleDataDirectory"], "SampleData"),
        };
    }

    private static string ResolvePath(string? configured, string fallback) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? fallback : configured, AppContext.BaseDirectory);
}
