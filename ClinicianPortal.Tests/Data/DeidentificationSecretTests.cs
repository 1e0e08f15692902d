using ClinicianPortal.Data;
using Microsoft.Extensions.Configuration;

namespace ClinicianPortal.Tests.Data;

public sealed class DeidentificationSecretTests : IDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "clinicianportal-tests", Guid.NewGuid().ToString("N"));

    private StorageOptions Options => new()
    {
        DataDirectory = dataDirectory,
        ConnectionString = "Data Source=unused.db",
        SampleDataDirectory = dataDirectory,
    };

    private static IConfiguration Configuration(string? secret = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Deidentification:Secret"] = secret }).Build();

    [Fact]
    public void Without_configuration_a_random_32_byte_secret_is_generated_once_and_kept()
    {
        var first = DeidentificationSecret.Load(Configuration(), Options);
        var second = DeidentificationSecret.Load(Configuration(), Options);

        Assert.Equal(32, first.Secret.Length);
        Assert.Equal(first.Secret, second.Secret);
        Assert.Contains(first.Secret, b => b != 0);
        var path = Path.Combine(dataDirectory, "keys", "deidentification.key");
        Assert.Equal(first.Secret, Convert.FromBase64String(File.ReadAllText(path)));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }
    }

    [Fact]
    public void Another_data_directory_gets_another_secret()
    {
        var first = DeidentificationSecret.Load(Configuration(), Options);
        var other = DeidentificationSecret.Load(Configuration(), Options with { DataDirectory = Path.Combine(dataDirectory, "other") });

        Assert.NotEqual(first.Secret, other.Secret);
    }

    [Fact]
    public void A_configured_secret_is_used_and_no_key_file_is_written()
    {
        var secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

        var key = DeidentificationSecret.Load(Configuration(Convert.ToBase64String(secret)), Options);

        Assert.Equal(secret, key.Secret);
        Assert.False(File.Exists(Path.Combine(dataDirectory, "keys", "deidentification.key")));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")] // 5 bytes
    public void An_unusable_configured_secret_stops_with_a_message_that_does_not_repeat_it(string secret)
    {
        var error = Assert.Throws<InvalidOperationException>(() => DeidentificationSecret.Load(Configuration(secret), Options));

        Assert.Contains("Deidentification:Secret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
    }
}
