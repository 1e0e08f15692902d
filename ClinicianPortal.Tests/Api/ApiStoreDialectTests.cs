using System.Net;
using System.Text.Json;
using ClinicianPortal.Api.CdsHooks;
using ClinicianPortal.Tests.Data;
using ClinicianPortal.Tests.Import;
using ClinicianPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicianPortal.Tests.Api;

/// <summary>The API end to end on each store: keys, import, read-back and the call log all go through the configured database.</summary>
public sealed class ApiStoreDialectTests
{
    [Theory]
    [SqliteData]
    [PostgresData]
    public async Task Import_through_the_api_then_read_back_and_audit_on_each_store(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        await using var host = new ApiHost(db.Settings);
        var created = await host.Keys.CreateAsync("dialect test", ["read", "import"]);

        using var import = await host.PostFileAsync("/api/v1/import", created.Token, ImportFiles.Small2, "application/fhir+json");
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var list = await host.GetJsonAsync("/api/v1/patients", created.Token);
        var patientId = Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetString()!;
        var record = await host.GetJsonAsync($"/api/v1/patients/{patientId}/record", created.Token);

        Assert.Equal(patientId, record.GetProperty("patient").GetProperty("id").GetString());
        Assert.Equal(1, await db.CountAsync("patients")); // the configured database, not a default file
        var calls = (await host.CallLog.RecentAsync(10, created.Key.Id)).Reverse().Select(c => (c.Route, c.PatientId, c.Status));
        Assert.Equal(
            [("/api/v1/import", null, 200), ("/api/v1/patients", null, 200), ("/api/v1/patients/{patientId}/record", patientId, 200)],
            calls);
        Assert.Equal(JsonValueKind.Array, record.GetProperty("labs").ValueKind);
    }

    [Theory]
    [SqliteData]
    [PostgresData]
    public async Task A_cds_hooks_call_and_its_feedback_go_to_the_configured_store_and_no_patient_is_stored(string dialect)
    {
        await using var db = await TestDatabase.CreateAsync(dialect);
        await using var host = new ApiHost(db.Settings);
        var created = await host.Keys.CreateAsync("dialect test", ["case-review"]);
        var (patientId, prefetch) = CdsHooksApiTests.PrefetchFrom(ImportFiles.Small2);
        var service = "/cds-services/" + CdsHooksApi.PatientViewServiceId;

        using var call = await host.PostJsonAsync(service, created.Token, new { hook = "patient-view", hookInstance = "1", context = new { patientId }, prefetch });
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        var card = JsonDocument.Parse(await call.Content.ReadAsStringAsync()).RootElement.GetProperty("cards")[0].GetProperty("uuid").GetString()!;
        using var feedback = await host.PostJsonAsync(service + "/feedback", created.Token,
            new { feedback = new[] { new { card, outcome = "accepted", outcomeTimestamp = DateTimeOffset.UtcNow } } });

        Assert.Equal(HttpStatusCode.OK, feedback.StatusCode);
        Assert.Equal(0, await db.CountAsync("patients"));
        Assert.Equal(1, await db.CountAsync("cds_feedback"));
        Assert.Equal(created.Key.Id, Assert.Single(await host.Services.GetRequiredService<CdsFeedbackStore>().ForCardAsync(card)).KeyId);
    }
}
