using System.Net.Http.Headers;
using System.Text.Json;
using ClinicianPortal.Api.Keys;
using ClinicianPortal.Import;
using ClinicianPortal.Tests.Import;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClinicianPortal.Tests.Api;

/// <summary>
/// The whole app (PortalApp) on a TestServer over a fresh temporary SQLite folder, no sample seeding;
/// helpers to create keys, import files through the services and call the API.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "clinicianportal-tests", "api-" + Guid.NewGuid().ToString("N"));
    private readonly WebApplicationFactory<Program> factory;

    /// <param name="logs">When given, receives the app's log lines (for "never logged" tests).</param>
    public ApiHost(IReadOnlyDictionary<string, string?>? settings = null, ILoggerProvider? logs = null)
    {
        Directory.CreateDirectory(dataDirectory);
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:Provider", "Sqlite");
            b.UseSetting("Storage:DataDirectory", dataDirectory);
            b.UseSetting("ConnectionStrings:Portal", "");
            b.UseSetting("Storage:SeedSampleData", "false");
            b.UseSetting("Storage:SampleDataDirectory", Path.Combine(dataDirectory, "no-samples"));
            b.UseSetting("Inference:ModelsDirectory", Path.Combine(dataDirectory, "models"));
            b.UseSetting("Inference:ExecutionProviders:0", "CPU");
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) b.UseSetting(key, value);
            if (logs is not null) b.ConfigureLogging(l => l.AddProvider(logs));
        });
        Client = factory.CreateClient();
    }

    public HttpClient Client { get; }
    public IServiceProvider Services => factory.Services;
    public ApiKeyService Keys => Services.GetRequiredService<ApiKeyService>();
    public ApiCallLog CallLog => Services.GetRequiredService<ApiCallLog>();

    /// <summary>A new key's token.</summary>
    public async Task<string> CreateKeyAsync(string scopes = "read", int ratePerMinute = 1000) =>
        (await Keys.CreateAsync("test " + scopes, scopes.Split(','), ratePerMinute)).Token;

    /// <summary>Imports files through the app's ImportService (as the UI and CLI do); returns the result of each.</summary>
    public async Task<IReadOnlyList<FileImportResult>> ImportAsync(params string[] files) =>
        (await Services.GetRequiredService<ImportService>().ImportAsync(files)).Files;

    public static HttpRequestMessage Get(string path, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    public async Task<HttpResponseMessage> GetAsync(string path, string? key) => await Client.SendAsync(Get(path, key));

    public async Task<JsonElement> GetJsonAsync(string path, string key)
    {
        using var response = await GetAsync(path, key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<HttpResponseMessage> PostFileAsync(string path, string key, string file, string contentType) =>
        await PostBytesAsync(path, key, await File.ReadAllBytesAsync(file), contentType);

    public async Task<HttpResponseMessage> PostBytesAsync(string path, string? key, byte[] body, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return await Client.SendAsync(request);
    }

    /// <summary>POSTs a JSON document (serialized with web defaults: camelCase).</summary>
    public async Task<HttpResponseMessage> PostJsonAsync(string path, string? key, object body) =>
        await PostBytesAsync(path, key, JsonSerializer.SerializeToUtf8Bytes(body, JsonSerializerOptions.Web), "application/json");

    /// <summary>
    /// Asserts an RFC 9457 problem: status, application/problem+json, type/title/status/detail present; returns the body.
    /// </summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("type").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        if (status != 400) Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), text);
        return problem;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(dataDirectory, recursive: true); }
        catch (IOException) { } // a temp folder left behind is harmless
    }
}

/// <summary>One host for a test class, holding the three smallest Synthea patients (read-only tests).</summary>
public sealed class SeededApiHost : IAsyncLifetime
{
    public ApiHost Host { get; } = new();
    public string ReadKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var results = await Host.ImportAsync(ImportFiles.Small1, ImportFiles.Small2, ImportFiles.Small3);
        Assert.All(results, r => Assert.True(r.Succeeded, r.Error));
        ReadKey = await Host.CreateKeyAsync("read");
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
