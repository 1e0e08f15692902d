using System.Net;
using System.Text;
using System.Text.Json;
using ClinicianPortal.Data;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Tests.Import;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicianPortal.Tests.Api;

/// <summary>GET /api/v1/patients/{id}/case-review and POST /api/v1/case-review: the review's JSON, scopes, problems, nothing stored inline.</summary>
public sealed class CaseReviewApiTests : IAsyncLifetime
{
    private readonly ApiHost host = new();
    private string reviewKey = "";
    private string readKey = "";

    public async Task InitializeAsync()
    {
        reviewKey = await host.CreateKeyAsync("read,case-review");
        readKey = await host.CreateKeyAsync("read");
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private IPatientStore Store => host.Services.GetRequiredService<IPatientStore>();

    private static void AssertIsReview(JsonElement review, string? patientId = null)
    {
        if (patientId is not null) Assert.Equal(patientId, review.GetProperty("patientId").GetString());
        var candidates = review.GetProperty("differential").EnumerateArray().ToList();
        Assert.NotEmpty(candidates);
        Assert.All(candidates, c => Assert.InRange(c.GetProperty("probability").GetDouble(), 0, 1));
        Assert.Contains(candidates, c => c.GetProperty("supporting").GetArrayLength() > 0);
        Assert.NotEmpty(review.GetProperty("summary").GetProperty("summary").GetProperty("sections").EnumerateArray());
        Assert.True(review.GetProperty("nextTests").ValueKind == JsonValueKind.Array);
        var models = review.GetProperty("provenance").GetProperty("models").EnumerateArray().ToList();
        Assert.Contains(models, m => m.GetProperty("id").GetString() == DifferentialSpec.ModelId);
        Assert.Matches("^[0-9a-f]{64}$", review.GetProperty("provenance").GetProperty("inputsSha256").GetString()!);
    }

    [Fact]
    public async Task A_stored_patient_is_reviewed_with_differential_evidence_and_provenance()
    {
        Assert.True((await host.ImportAsync(ImportFiles.Small1))[0].Succeeded);
        var patientId = (await Store.SearchAsync(new PatientQuery { Take = 1 })).Items[0].Patient.Id;

        var review = await host.GetJsonAsync($"/api/v1/patients/{patientId}/case-review", reviewKey);

        AssertIsReview(review, patientId);
        var call = (await host.CallLog.RecentAsync(1))[0];
        Assert.Equal("/api/v1/patients/{patientId}/case-review", call.Route);
        Assert.Equal(patientId, call.PatientId);
    }

    [Fact]
    public async Task An_unknown_patient_gets_a_404_problem()
    {
        using var response = await host.GetAsync("/api/v1/patients/no-such-patient/case-review", reviewKey);
        var problem = await ApiHost.AssertProblemAsync(response, 404);
        Assert.Contains("no-such-patient", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_without_the_case_review_scope_gets_403_on_both_endpoints()
    {
        using var stored = await host.GetAsync("/api/v1/patients/anyone/case-review", readKey);
        Assert.Equal(HttpStatusCode.Forbidden, stored.StatusCode);
        using var inline = await host.PostFileAsync("/api/v1/case-review", readKey, ImportFiles.Small1, "application/fhir+json");
        Assert.Equal(HttpStatusCode.Forbidden, inline.StatusCode);
        using var anonymous = await host.PostFileAsync("/api/v1/case-review", "cpk_nobody_nothing", ImportFiles.Small1, "application/fhir+json");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_posted_bundle_is_reviewed_inline_and_nothing_of_it_is_stored()
    {
        Assert.True((await host.ImportAsync(ImportFiles.Small2))[0].Succeeded);
        var before = await Store.CountPatientsAsync();

        using var response = await host.PostFileAsync("/api/v1/case-review", reviewKey, ImportFiles.Small1, "application/fhir+json");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var review = Assert.Single(JsonDocument.Parse(text).RootElement.EnumerateArray());
        AssertIsReview(review);
        Assert.Equal(before, await Store.CountPatientsAsync());
        Assert.Null(await Store.GetPatientAsync(review.GetProperty("patientId").GetString()!));
    }

    [Fact]
    public async Task The_inline_review_matches_the_review_of_the_same_bundle_once_stored_apart_from_pseudonyms()
    {
        using var response = await host.PostFileAsync("/api/v1/case-review", reviewKey, ImportFiles.Small1, "application/fhir+json");
        var inline = Assert.Single(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray());
        Assert.True((await host.ImportAsync(ImportFiles.Small1))[0].Succeeded);
        var patientId = (await Store.SearchAsync(new PatientQuery { Take = 1 })).Items[0].Patient.Id;

        var stored = await host.GetJsonAsync($"/api/v1/patients/{patientId}/case-review", reviewKey);

        static string[] Ranking(JsonElement r) =>
            [.. r.GetProperty("differential").EnumerateArray().Select(c => c.GetProperty("conditionId").GetString()!)];
        Assert.Equal(Ranking(stored), Ranking(inline));
        Assert.NotEqual(patientId, inline.GetProperty("patientId").GetString());
    }

    [Fact]
    public async Task A_bad_bundle_gets_a_422_problem_and_an_unsupported_type_a_415()
    {
        using var bad = await host.PostBytesAsync("/api/v1/case-review", reviewKey, Encoding.UTF8.GetBytes("""{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Observation","status":"final"}}]}"""), "application/fhir+json");
        var problem = await ApiHost.AssertProblemAsync(bad, 422);
        Assert.Contains("Nothing of it was stored", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var text = await host.PostBytesAsync("/api/v1/case-review", reviewKey, Encoding.UTF8.GetBytes("hello"), "text/plain");
        await ApiHost.AssertProblemAsync(text, 415);
        Assert.Equal(0, await Store.CountPatientsAsync());
    }

    [Fact]
    public async Task Without_inference_the_review_is_a_503_problem_that_says_why()
    {
        await using var broken = new ApiHost(new Dictionary<string, string?> { ["Inference:NativeLibraryPath"] = "/nonexistent/libonnxruntime.so.1" });
        var key = await broken.CreateKeyAsync("case-review");

        using var response = await broken.PostFileAsync("/api/v1/case-review", key, ImportFiles.Small1, "application/fhir+json");

        var problem = await ApiHost.AssertProblemAsync(response, 503);
        Assert.Contains("nference", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
