using ClinicianPortal.Data;
using ClinicianPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicianPortal.Tests.Import;

/// <summary>The web app's own composition: on first start it migrates the store and imports the sample data.</summary>
public sealed class AppStartupSeedingTests
{
    [Fact]
    public async Task The_app_opens_with_the_sample_patients_on_first_start()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "clinicianportal-tests", Guid.NewGuid().ToString("N"));
        var samples = ImportFiles.FolderWith(dataDirectory, ImportFiles.Small1, ImportFiles.Small2);
        try
        {
            await using (var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
                .UseSetting("Storage:Provider", "Sqlite")
                .UseSetting("Storage:DataDirectory", dataDirectory)
                .UseSetting("Storage:SampleDataDirectory", samples)
                .UseSetting("Storage:SeedSampleData", "true")))
            {
                using var client = factory.CreateClient();
                var store = factory.Services.GetRequiredService<IPatientStore>();
                Assert.Equal(2, await store.CountPatientsAsync());
                Assert.Equal(2, (await store.SearchAsync(new PatientQuery())).Total);
            }
            Assert.True(File.Exists(Path.Combine(dataDirectory, StorageOptions.SqliteFileName)));
            Assert.True(File.Exists(Path.Combine(dataDirectory, "keys", "deidentification.key")));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
