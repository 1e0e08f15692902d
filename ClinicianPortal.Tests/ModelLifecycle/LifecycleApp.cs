using ClinicianPortal.Data;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.Records;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClinicianPortal.Tests.ModelLifecycle;

/// <summary>
/// The app's own composition on a fresh SQLite folder and models folder, with one differential candidate (estimated
/// likelihood ratios weighted 0.5) configured beside the curated model, and low promotion thresholds.
/// </summary>
public sealed class LifecycleApp : IAsyncDisposable
{
    public const double CandidateWeight = 0.5;
    private static readonly string Sample = Path.Combine(TestEnvironment.RepositoryRoot, "ClinicianPortal", "SampleData", "patient-0010-pulmonary-embolism.json");

    public LifecycleApp(string? root = null, bool candidate = true, CapturingLoggerProvider? logs = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        Root = root ?? Path.Combine(Path.GetTempPath(), "clinicianportal-tests", Guid.NewGuid().ToString("N"));
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:Provider", "Sqlite")
             .UseSetting("Storage:DataDirectory", Path.Combine(Root, "data"))
             .UseSetting("Storage:SeedSampleData", "false")
             .UseSetting("Inference:ModelsDirectory", Path.Combine(Root, "models"))
             .UseSetting("Inference:ExecutionProviders:0", "CPU")
             .UseSetting("ModelGovernance:Pilot:MinimumRatedOutputs", "2")
             .UseSetting("ModelGovernance:Approved:MinimumRatedOutputs", "3");
            if (candidate) b.UseSetting("ModelGovernance:DifferentialCandidates:0", "0.5");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) b.UseSetting(key, value);
            if (logs is not null) b.ConfigureLogging(logging => logging.AddProvider(logs));
        });
        Client = Factory.CreateClient(); // starts the app
    }

    public string Root { get; }
    public string DatabasePath => Path.Combine(Root, "data", StorageOptions.SqliteFileName);
    public WebApplicationFactory<Program> Factory { get; }
    public HttpClient Client { get; }
    public T Get<T>() where T : notnull => Factory.Services.GetRequiredService<T>();

    public async Task<string> StoreSampleAsync()
    {
        var batch = await ImportTestKit.ReadFileAsync(Sample);
        await Get<IPatientStore>().StoreAsync(batch);
        return batch.Patients[0].Id;
    }

    /// <summary>Stops the app; the folders stay (for a restart on the same data) until <see cref="Delete"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    public void Delete()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
