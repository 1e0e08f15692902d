using System.Net;
using System.Text;
using System.Text.Json;
using ClinicianPortal.Data;
using ClinicianPortal.Tests.Import;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicianPortal.Tests.Api;

/// <summary>POST /api/v1/import on a fresh, empty store per test: the same import as the UI and CLI, then read back over the API.</summary>
public sealed class ImportApiTests : IAsyncLifetime
{
    private readonly ApiHost host = new(new Dictionary<string, string?> { ["Api:MaxImportBytes"] = "2000000" });
    private string key = "";

    public async Task InitializeAsync() => key = await host.CreateKeyAsync("read,import");
    public async Task DisposeAsync() => await host.DisposeAsync();

    private IPatientStore Store => host.Services.GetRequiredService<IPatientStore>();

    [Fact]
    public async Task A_synthea_bundle_imported_through_the_api_can_be_read_back_through_the_api()
    {
        using var response = await host.PostFileAsync("/api/v1/import", key, ImportFiles.Small1, "application/fhir+json");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var result = JsonDocument.Parse(text).RootElement;
        Assert.Equal(1, result.GetProperty("patientsStored").GetInt32());
        var resourceCounts = result.GetProperty("resourceCounts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(1, resourceCounts["Patient"]);
        Assert.True(resourceCounts["Observation"] > 0);
        Assert.Equal(resourceCounts.Values.Sum(), result.GetProperty("resources").GetInt32());
        var skipped = result.GetProperty("skippedCounts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(skipped.Values.Sum(), result.GetProperty("skipped").GetInt32());
        Assert.StartsWith("file-", result.GetProperty("fileLabel").GetString(), StringComparison.Ordinal);

        var list = await host.GetJsonAsync("/api/v1/patients", key);
        var patientId = Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetString()!;
        var timeline = await host.GetJsonAsync($"/api/v1/patients/{patientId}/timeline?pageSize=1000", key);
        Assert.Equal(result.GetProperty("eventsStored").GetInt32(), timeline.GetProperty("total").GetInt32());
        Assert.Equal((await Store.GetEventsAsync(patientId)).Count, timeline.GetProperty("total").GetInt32());
        var importLog = Assert.Single(await host.Services.GetRequiredService<IImportLog>().RecentAsync(5));
        Assert.True(importLog.Succeeded);
        Assert.Equal(result.GetProperty("fileLabel").GetString(), importLog.FileName);
    }

    [Fact]
    public async Task Ndjson_is_imported_as_bulk_export_lines()
    {
        var patients = Path.Combine(ImportFiles.BulkNdjsonFolder, "Patient.000.ndjson");

        using var response = await host.PostFileAsync("/api/v1/import", key, patients, "application/fhir+ndjson");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(ImportFiles.NonEmptyLines(patients), result.GetProperty("patientsStored").GetInt32());
        Assert.Equal(result.GetProperty("patientsStored").GetInt32(), await Store.CountPatientsAsync());
    }

    [Fact]
    public async Task A_malformed_bundle_gets_a_422_problem_with_the_reason_and_nothing_is_stored()
    {
        var folder = Directory.CreateTempSubdirectory("clinicianportal-api-");
        try
        {
            var invalid = Path.Combine(folder.FullName, "invalid.json");
            ImportFiles.WriteWithInvalidLastObservation(ImportFiles.Small1, invalid);

            using var response = await host.PostFileAsync("/api/v1/import", key, invalid, "application/json");

            var problem = await ApiHost.AssertProblemAsync(response, 422);
            var detail = problem.GetProperty("detail").GetString()!;
            Assert.Contains("Observation", detail, StringComparison.Ordinal);
            Assert.Contains("status", detail, StringComparison.Ordinal);
            Assert.Contains("Nothing of it was stored", detail, StringComparison.Ordinal);
            Assert.Equal(0, await Store.CountPatientsAsync());
            Assert.False(Assert.Single(await host.Services.GetRequiredService<IImportLog>().RecentAsync(5)).Succeeded);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Truncated_json_gets_a_422_problem_that_quotes_no_content()
    {
        var bytes = await File.ReadAllBytesAsync(ImportFiles.Small1);

        using var response = await host.PostBytesAsync("/api/v1/import", key, bytes[..(bytes.Length / 2)], "application/fhir+json");

        var detail = (await ApiHost.AssertProblemAsync(response, 422)).GetProperty("detail").GetString()!;
        Assert.Contains("line", detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Maria", detail, StringComparison.Ordinal);
        Assert.Equal(0, await Store.CountPatientsAsync());
    }

    [Fact]
    public async Task An_unsupported_content_type_gets_a_415_problem()
    {
        using var response = await host.PostBytesAsync("/api/v1/import", key, Encoding.UTF8.GetBytes("<Bundle/>"), "application/fhir+xml");
        await ApiHost.AssertProblemAsync(response, 415);
    }

    [Fact]
    public async Task A_body_over_the_import_limit_gets_a_413_problem_and_nothing_is_stored()
    {
        var body = new byte[2_000_001];

        using var response = await host.PostBytesAsync("/api/v1/import", key, body, "application/fhir+json");

        var problem = await ApiHost.AssertProblemAsync(response, 413);
        Assert.Contains("2,000,000", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await Store.CountPatientsAsync());
        Assert.Empty(await host.Services.GetRequiredService<IImportLog>().RecentAsync(5));
    }

    [Fact]
    public async Task A_chunked_body_over_the_import_limit_is_cut_off_with_a_413_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/import", UriKind.Relative))
        {
            Content = new StreamContent(new MemoryStream(new byte[2_500_000])), // no Content-Length: read until the limit
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("X-Api-Key", key);

        using var response = await host.Client.SendAsync(request);

        await ApiHost.AssertProblemAsync(response, 413);
        Assert.Equal(0, await Store.CountPatientsAsync());
    }

    [Fact]
    public async Task An_import_call_is_logged_without_a_patient()
    {
        using (await host.PostFileAsync("/api/v1/import", key, ImportFiles.Small2, "application/fhir+json")) { }

        var call = Assert.Single(await host.CallLog.RecentAsync(10));
        Assert.Equal(("POST", "/api/v1/import", (string?)null, 200), (call.Method, call.Route, call.PatientId, call.Status));
        Assert.NotNull(call.KeyId);
    }
}
