using System.Net;
using System.Net.Http.Headers;
using ClinicianPortal.Data;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicianPortal.Tests.Api;

/// <summary>The ApiKey scheme on /api/v1: 401 without a valid key, 403 without the scope, 429 past the key's rate, and the call log.</summary>
public sealed class ApiKeyAuthenticationTests(SeededApiHost seeded) : IClassFixture<SeededApiHost>
{
    private ApiHost Host => seeded.Host;

    [Fact]
    public async Task A_call_without_a_key_gets_a_401_problem_with_a_bearer_challenge()
    {
        using var response = await Host.GetAsync("/api/v1/patients", key: null);

        var problem = await ApiHost.AssertProblemAsync(response, 401);
        Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("cpk_abcdefghijkm_0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task A_malformed_or_unknown_key_gets_a_401_problem(string key)
    {
        using var response = await Host.GetAsync("/api/v1/patients", key);
        await ApiHost.AssertProblemAsync(response, 401);
    }

    [Fact]
    public async Task A_key_with_the_wrong_secret_is_refused_like_an_unknown_one()
    {
        var token = await Host.CreateKeyAsync("read");
        var wrong = token[..^4] + (token.EndsWith("0000", StringComparison.Ordinal) ? "1111" : "0000");

        using var response = await Host.GetAsync("/api/v1/patients", wrong);

        var problem = await ApiHost.AssertProblemAsync(response, 401);
        Assert.Equal("The API key is not valid.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_revoked_key_is_refused_from_its_next_call()
    {
        var created = await Host.Keys.CreateAsync("to revoke", ["read"]);
        using (var before = await Host.GetAsync("/api/v1/patients", created.Token)) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        Assert.True(await Host.Keys.RevokeAsync(created.Key.Id));
        using var after = await Host.GetAsync("/api/v1/patients", created.Token);

        var problem = await ApiHost.AssertProblemAsync(after, 401);
        Assert.Contains("revoked", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(await Host.Keys.RevokeAsync(created.Key.Id));
    }

    [Fact]
    public async Task The_key_may_come_as_a_bearer_token_or_an_x_api_key_header()
    {
        var token = await Host.CreateKeyAsync("read");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/patients", UriKind.Relative));
        request.Headers.Add("X-Api-Key", token);

        using var viaHeader = await Host.Client.SendAsync(request);
        using var viaBearer = await Host.GetAsync("/api/v1/patients", token);

        Assert.Equal(HttpStatusCode.OK, viaHeader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viaBearer.StatusCode);
    }

    [Fact]
    public async Task A_key_without_the_read_scope_gets_a_403_problem_naming_the_scope()
    {
        var importOnly = await Host.CreateKeyAsync("import");

        using var response = await Host.GetAsync("/api/v1/patients", importOnly);

        var problem = await ApiHost.AssertProblemAsync(response, 403);
        Assert.Contains("'read'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_key_cannot_import_and_nothing_is_stored()
    {
        var readOnly = await Host.CreateKeyAsync("read");
        var before = await Host.Services.GetRequiredService<IPatientStore>().CountPatientsAsync();

        using var response = await Host.PostFileAsync("/api/v1/import", readOnly, Tests.Import.ImportFiles.Small1, "application/fhir+json");

        var problem = await ApiHost.AssertProblemAsync(response, 403);
        Assert.Contains("'import'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await Host.Services.GetRequiredService<IPatientStore>().CountPatientsAsync());
    }

    [Fact]
    public async Task A_key_limited_to_3_calls_a_minute_gets_a_429_problem_with_retry_after_on_the_4th()
    {
        var limited = await Host.CreateKeyAsync("read", ratePerMinute: 3);
        var other = await Host.CreateKeyAsync("read", ratePerMinute: 3);

        for (var i = 0; i < 3; i++)
        {
            using var ok = await Host.GetAsync("/api/v1/patients", limited);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var fourth = await Host.GetAsync("/api/v1/patients", limited);
        using var otherKey = await Host.GetAsync("/api/v1/patients", other);

        var problem = await ApiHost.AssertProblemAsync(fourth, 429);
        Assert.Contains("3 calls per minute", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var retryAfter = fourth.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode); // limits are per key
    }

    [Fact]
    public async Task Every_call_is_logged_with_key_route_template_patient_served_and_status()
    {
        var created = await Host.Keys.CreateAsync("audited", ["read"], 1000);
        var patientId = (await Host.Services.GetRequiredService<IPatientStore>().SearchAsync(new PatientQuery())).Items[0].Patient.Id;

        using (await Host.GetAsync("/api/v1/patients?pageSize=1", created.Token)) { }
        using (await Host.GetAsync($"/api/v1/patients/{patientId}/timeline", created.Token)) { }
        using (await Host.GetAsync("/api/v1/patients/unknown-id", created.Token)) { }
        await Host.Keys.RevokeAsync(created.Key.Id);
        using (await Host.GetAsync("/api/v1/patients", created.Token)) { }

        var calls = (await Host.CallLog.RecentAsync(10, created.Key.Id)).Reverse().ToList();
        Assert.Equal(
            [
                ("GET", "/api/v1/patients", null, 200),
                ("GET", "/api/v1/patients/{patientId}/timeline", patientId, 200),
                ("GET", "/api/v1/patients/{patientId}", null, 404), // an id that is not a stored pseudonym is not kept
                ("GET", "/api/v1/patients", null, 401),
            ],
            calls.Select(c => (c.Method, c.Route, c.PatientId, c.Status)));
        Assert.All(calls, c => Assert.InRange(c.CalledAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1)));
    }

    [Fact]
    public async Task Calls_without_a_known_key_are_logged_too_without_the_path_they_tried()
    {
        var before = (await Host.CallLog.RecentAsync(1000)).Count;
        using (await Host.GetAsync("/api/v1/patients/Jane%20Doe/record", key: null)) { }

        var calls = await Host.CallLog.RecentAsync(1000);
        Assert.Equal(before + 1, calls.Count);
        Assert.Contains(calls, c => c.KeyId is null && c.Status == 401 && c.Route == "/api/v1/patients/{patientId}/record" && c.PatientId is null);
        Assert.DoesNotContain(calls, c => c.Route.Contains("Jane", StringComparison.Ordinal) || c.PatientId?.Contains("Jane", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task The_web_ui_is_not_behind_the_api_key()
    {
        using var response = await Host.Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_over_the_small_limit_on_a_read_call_gets_a_413_problem()
    {
        var token = await Host.CreateKeyAsync("read");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/patients", UriKind.Relative))
        {
            Content = new ByteArrayContent(new byte[128 * 1024]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await Host.Client.SendAsync(request);

        await ApiHost.AssertProblemAsync(response, 413);
    }
}
