using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ClinicianPortal.Annotations;
using ClinicianPortal.Api.CdsHooks;
using ClinicianPortal.Audit;
using ClinicianPortal.Tests.Import;
using ClinicianPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicianPortal.Tests.Api.CdsHooks.ClientTokens;

/// <summary>
/// CDS Hooks 2.0 "Trusting CDS Clients" end to end: the whole app with trusted EHRs configured (one whose JWK Set is served by
/// a loopback Kestrel, one with an inline set, one without the case-review scope), tokens signed in the test with EC P-384,
/// P-256 and RSA keys, and every way a token must be refused.
/// </summary>
public sealed class CdsClientAuthenticationTests : IAsyncLifetime
{
    private const string PortalBase = "https://portal.example.org";
    private const string Service = "/cds-services/" + CdsHooksApi.PatientViewServiceId;
    private const string ServiceUrl = PortalBase + Service;
    private const string Ehr = "https://ehr.example.org";
    private const string InlineEhr = "https://inline-ehr.example.org";
    private const string ReadOnlyEhr = "https://read-only-ehr.example.org";

    private readonly EhrKey ec384 = EhrKey.EcP384("ec-384");
    private readonly EhrKey ec256 = EhrKey.EcP256("ec-256");
    private readonly EhrKey rsa = EhrKey.Rsa2048("rsa-1");
    private readonly EhrKey inlineKey = EhrKey.EcP384("inline-1");
    private readonly EhrKey jkuKey = EhrKey.EcP384("jku-1");
    private readonly EhrKey stranger = EhrKey.EcP384("ec-384"); // same kid as a trusted key, not the client's
    private readonly CapturingLoggerProvider logs = new();
    private JwksServer jwks = null!;
    private ApiHost host = null!;

    public async Task InitializeAsync()
    {
        jwks = await JwksServer.StartAsync();
        jwks.Sets["ehr"] = EhrKey.Jwks(ec384, ec256, rsa);
        jwks.Sets["ehr-jku"] = EhrKey.Jwks(jkuKey);
        jwks.Sets["attacker"] = EhrKey.Jwks(stranger);
        var settings = new Dictionary<string, string?>
        {
            ["CdsHooks:PortalBaseUrl"] = PortalBase,
            ["CdsHooks:JwksRefreshSeconds"] = "0",
            ["CdsHooks:Clients:0:Issuer"] = Ehr,
            ["CdsHooks:Clients:0:ClientId"] = "ehr-client",
            ["CdsHooks:Clients:0:JwksUrl"] = jwks.Url("ehr"),
            ["CdsHooks:Clients:0:AllowedJku:0"] = jwks.Url("ehr-jku"),
            ["CdsHooks:Clients:1:Issuer"] = InlineEhr,
            ["CdsHooks:Clients:2:Issuer"] = ReadOnlyEhr,
            ["CdsHooks:Clients:2:Scopes:0"] = "read",
            ["CdsHooks:Clients:2:Jwks"] = EhrKey.Jwks(inlineKey),
        };
        // The inline set as configuration sections, as appsettings.json would give it.
        foreach (var (name, value) in inlineKey.PublicJwk()) settings[$"CdsHooks:Clients:1:Jwks:keys:0:{name}"] = value!.GetValue<string>();
        host = new ApiHost(settings, logs);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await jwks.DisposeAsync();
        foreach (var key in new[] { ec384, ec256, rsa, inlineKey, jkuKey, stranger }) key.Dispose();
    }

    private static Dictionary<string, object?> Claims(string issuer = Ehr, string audience = ServiceUrl) => ClientJwt.Claims(issuer, audience, DateTimeOffset.UtcNow);

    private async Task<HttpResponseMessage> PostAsync(string path, string? token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, JsonSerializerOptions.Web)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await host.Client.SendAsync(request);
    }

    private static object HookRequest(string patientId, object prefetch) => new
    {
        hook = "patient-view",
        hookInstance = Guid.NewGuid().ToString(),
        context = new { userId = "Practitioner/example", patientId },
        prefetch,
    };

    private static object SomeFeedback() => new { feedback = new[] { new { card = Guid.NewGuid().ToString(), outcome = "accepted", outcomeTimestamp = DateTimeOffset.UtcNow } } };

    private async Task<JsonElement[]> CardsAsync(string token)
    {
        var (patientId, prefetch) = CdsHooksApiTests.PrefetchFrom(ImportFiles.Small1);
        using var response = await PostAsync(Service, token, HookRequest(patientId, prefetch));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return [.. JsonDocument.Parse(text).RootElement.GetProperty("cards").EnumerateArray().Select(c => c.Clone())];
    }

    /// <summary>Asserts 401 problem+json whose detail gives the reason, with a WWW-Authenticate naming the error; nothing audited.</summary>
    private async Task AssertRefusedAsync(HttpResponseMessage response, string reason)
    {
        var problem = await ApiHost.AssertProblemAsync(response, 401);
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains(reason, challenge.Parameter, StringComparison.Ordinal);
        Assert.Empty((await host.Services.GetRequiredService<AuditStore>().PageAsync(0, 10)).Items);
    }

    [Fact]
    public async Task An_ES384_client_token_gets_cards_and_the_audit_record_and_call_log_name_the_client()
    {
        var cards = await CardsAsync(ClientJwt.Sign(ec384, "ES384", Claims()));

        Assert.NotEmpty(cards);
        Assert.All(cards, c => Assert.Matches(@"^(Consider|Can't miss) ", c.GetProperty("summary").GetString()));
        var audit = Assert.Single((await host.Services.GetRequiredService<AuditStore>().PageAsync(0, 10)).Items);
        Assert.Equal("cds-client:" + Ehr, audit.UserName);
        var call = (await host.CallLog.RecentAsync(1))[0];
        Assert.Equal(("cds-client:" + Ehr, 200), (call.KeyId, call.Status));
    }

    [Fact]
    public async Task An_RS384_client_token_gets_cards_too_and_so_do_ES256_and_RS256()
    {
        Assert.NotEmpty(await CardsAsync(ClientJwt.Sign(rsa, "RS384", Claims())));

        // The cheaper algorithms are accepted on the feedback call (no review needed to prove the signature path).
        using var es256 = await PostAsync(Service + "/feedback", ClientJwt.Sign(ec256, "ES256", Claims()), SomeFeedback());
        Assert.Equal(HttpStatusCode.OK, es256.StatusCode);
        using var rs256 = await PostAsync(Service + "/feedback", ClientJwt.Sign(rsa, "RS256", Claims()), SomeFeedback());
        Assert.Equal(HttpStatusCode.OK, rs256.StatusCode);
    }

    [Fact]
    public async Task Feedback_with_a_client_token_is_stored_under_the_client_and_its_annotation_names_it()
    {
        var cards = await CardsAsync(ClientJwt.Sign(ec384, "ES384", Claims()));
        var card = cards[0].GetProperty("uuid").GetString()!;
        // aud may be the feedback endpoint itself or the service it belongs to.
        foreach (var audience in new[] { ServiceUrl + "/feedback", ServiceUrl })
        {
            using var response = await PostAsync(Service + "/feedback", ClientJwt.Sign(ec384, "ES384", Claims(audience: audience)),
                new { feedback = new[] { new { card, outcome = "accepted", outcomeTimestamp = DateTimeOffset.UtcNow } } });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var stored = await host.Services.GetRequiredService<CdsFeedbackStore>().ForCardAsync(card);
        Assert.Equal(2, stored.Count);
        Assert.All(stored, f => Assert.Equal("cds-client:" + Ehr, f.KeyId));
        var audit = Assert.Single((await host.Services.GetRequiredService<AuditStore>().PageAsync(0, 10)).Items);
        var annotations = await host.Services.GetRequiredService<AnnotationStore>().ForPatientAsync(audit.PatientPseudonym);
        Assert.NotEmpty(annotations);
        Assert.All(annotations, a => Assert.Equal("cds-client:" + Ehr, a.Author));
    }

    [Fact]
    public async Task A_client_whose_keys_are_configured_inline_is_trusted_without_fetching_anything()
    {
        var before = jwks.Hits;
        var claims = Claims(InlineEhr);

        using var response = await PostAsync(Service + "/feedback", ClientJwt.Sign(inlineKey, "ES384", claims), SomeFeedback());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, jwks.Hits);
    }

    [Fact]
    public async Task A_jku_on_the_client_allow_list_is_where_the_keys_are_fetched_from()
    {
        var header = ClientJwt.Header(jkuKey, "ES384");
        header["jku"] = jwks.Url("ehr-jku");

        using var response = await PostAsync(Service + "/feedback", ClientJwt.Sign(jkuKey, header, Claims()), SomeFeedback());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_key_the_client_rotated_in_is_found_by_fetching_its_jwk_set_again()
    {
        using var rotated = EhrKey.EcP384("ec-384-next");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Service + "/feedback", ClientJwt.Sign(ec384, "ES384", Claims()), SomeFeedback())).StatusCode);
        jwks.Sets["ehr"] = EhrKey.Jwks(ec384, rotated);

        using var response = await PostAsync(Service + "/feedback", ClientJwt.Sign(rotated, "ES384", Claims()), SomeFeedback());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_replayed_token_is_refused_the_second_time()
    {
        var token = ClientJwt.Sign(ec384, "ES384", Claims());
        using var first = await PostAsync(Service + "/feedback", token, SomeFeedback());
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var replay = await PostAsync(Service + "/feedback", token, SomeFeedback());

        await AssertRefusedAsync(replay, "token replayed");
    }

    [Theory]
    [InlineData("wrong aud", "audience does not match this service")]
    [InlineData("aud of another service", "audience does not match this service")]
    [InlineData("expired", "token expired")]
    [InlineData("iat in the future", "token issued in the future")]
    [InlineData("lifetime over 5 minutes", "token lifetime is over 5 minutes")]
    [InlineData("unknown iss", "unknown issuer")]
    [InlineData("sub not the client id", "sub does not match the client's id")]
    [InlineData("no jti", "jti claim is missing")]
    [InlineData("kid not in jwks", "kid is not in the client's JWK Set")]
    [InlineData("no kid", "kid header is required")]
    [InlineData("signed by another key with the same kid", "signature invalid")]
    [InlineData("tampered payload", "signature invalid")]
    [InlineData("alg none", "alg 'none' is refused")]
    [InlineData("HS256 with the RSA public key as secret", "algorithm is not accepted")]
    [InlineData("ES384 header on the RSA key", "algorithm does not match the client's key")]
    [InlineData("ES384 header on the P-256 key", "algorithm does not match the client's key")]
    [InlineData("jku not on the allow-list", "jku is not on the client's allow-list")]
    [InlineData("not a jwt", "token is not a signed JWT")]
    public async Task A_token_that_fails_a_check_is_refused_with_401_and_its_reason(string change, string reason)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = Claims();
        var key = ec384;
        var header = ClientJwt.Header(key, "ES384");
        string? token = null;
        switch (change)
        {
            case "wrong aud": claims["aud"] = "https://other-portal.example.org" + Service; break;
            case "aud of another service": claims["aud"] = PortalBase + "/cds-services/another-service"; break;
            case "expired": claims["iat"] = now.AddMinutes(-10).ToUnixTimeSeconds(); claims["exp"] = now.AddMinutes(-6).ToUnixTimeSeconds(); break;
            case "iat in the future": claims["iat"] = now.AddMinutes(3).ToUnixTimeSeconds(); claims["exp"] = now.AddMinutes(4).ToUnixTimeSeconds(); break;
            case "lifetime over 5 minutes": claims["exp"] = now.AddHours(1).ToUnixTimeSeconds(); break;
            case "unknown iss": claims["iss"] = "https://unknown-ehr.example.org"; break;
            case "sub not the client id": claims["sub"] = "someone-else"; break;
            case "no jti": claims.Remove("jti"); break;
            case "kid not in jwks": header["kid"] = "no-such-kid"; break;
            case "no kid": header.Remove("kid"); break;
            case "signed by another key with the same kid": key = stranger; break;
            case "tampered payload":
                var signed = ClientJwt.Sign(key, header, claims).Split('.');
                claims["sub"] = "ehr-client "; // any change to the signed bytes
                token = $"{signed[0]}.{ClientJwt.Encode(claims)}.{signed[2]}";
                break;
            case "alg none":
                token = $"{ClientJwt.Encode(new { alg = "none", typ = "JWT", kid = key.Kid })}.{ClientJwt.Encode(claims)}.";
                break;
            case "HS256 with the RSA public key as secret":
                // The classic confusion: an attacker who knows the public key "signs" with it as an HMAC secret.
                var hsHeader = ClientJwt.Encode(new { alg = "HS256", typ = "JWT", kid = rsa.Kid });
                var input = $"{hsHeader}.{ClientJwt.Encode(claims)}";
                var secret = System.Text.Encoding.ASCII.GetBytes(rsa.Rsa!.ExportSubjectPublicKeyInfoPem());
                token = $"{input}.{ClinicianPortal.Api.CdsHooks.ClientTokens.Base64Url.Encode(System.Security.Cryptography.HMACSHA256.HashData(secret, System.Text.Encoding.ASCII.GetBytes(input)))}";
                break;
            case "ES384 header on the RSA key":
                header["kid"] = rsa.Kid;
                break;
            case "ES384 header on the P-256 key":
                header["kid"] = ec256.Kid; // signed with the P-384 key; the P-256 key the kid names must not verify an ES384 token
                break;
            case "jku not on the allow-list": header["jku"] = jwks.Url("attacker"); key = stranger; break;
            case "not a jwt": token = "definitely-not-a-jwt"; break;
            default: throw new ArgumentOutOfRangeException(nameof(change), change, null);
        }
        token ??= ClientJwt.Sign(key, header, claims);
        var (patientId, prefetch) = CdsHooksApiTests.PrefetchFrom(ImportFiles.Small1);

        using var response = await PostAsync(Service, token, HookRequest(patientId, prefetch));

        await AssertRefusedAsync(response, reason);
        Assert.DoesNotContain(token, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Neither_an_accepted_nor_a_refused_token_reaches_the_log()
    {
        var accepted = ClientJwt.Sign(ec384, "ES384", Claims());
        var refused = ClientJwt.Sign(stranger, "ES384", Claims());
        using var ok = await PostAsync(Service + "/feedback", accepted, SomeFeedback());
        using var bad = await PostAsync(Service + "/feedback", refused, SomeFeedback());
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        await AssertRefusedAsync(bad, "signature invalid");

        Assert.Contains("signature invalid", logs.Text, StringComparison.Ordinal); // the refusal is logged, with its reason only
        foreach (var token in new[] { accepted, refused })
        {
            foreach (var part in token.Split('.')) Assert.DoesNotContain(part, logs.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_refused_token_does_not_use_up_its_jti()
    {
        var claims = Claims(audience: "https://other-portal.example.org" + Service);
        using var wrong = await PostAsync(Service + "/feedback", ClientJwt.Sign(ec384, "ES384", claims), SomeFeedback());
        await AssertRefusedAsync(wrong, "audience does not match this service");

        claims["aud"] = ServiceUrl;
        using var right = await PostAsync(Service + "/feedback", ClientJwt.Sign(ec384, "ES384", claims), SomeFeedback());

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task A_call_without_credentials_is_told_both_ways_to_authenticate()
    {
        using var response = await PostAsync(Service, null, new { });

        var problem = await ApiHost.AssertProblemAsync(response, 401);
        Assert.Contains("JWT", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("API key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task A_trusted_client_without_the_case_review_scope_gets_403()
    {
        using var response = await PostAsync(Service + "/feedback", ClientJwt.Sign(inlineKey, "ES384", Claims(ReadOnlyEhr)), SomeFeedback());

        var problem = await ApiHost.AssertProblemAsync(response, 403);
        Assert.Contains("case-review", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_key_with_the_case_review_scope_still_works_beside_client_tokens()
    {
        var key = await host.CreateKeyAsync("case-review");

        using var response = await host.PostJsonAsync(Service + "/feedback", key, SomeFeedback());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Discovery_is_public_and_ignores_a_bad_token()
    {
        // Discovery lists services and prefetch templates, nothing about patients; EHRs read it while being configured.
        using var anonymous = await host.GetAsync("/cds-services", null);
        using var badToken = await host.GetAsync("/cds-services", "not-a-jwt");

        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, badToken.StatusCode);
        var service = Assert.Single(JsonDocument.Parse(await anonymous.Content.ReadAsStringAsync()).RootElement.GetProperty("services").EnumerateArray());
        Assert.Contains("JWT", service.GetProperty("usageRequirements").GetString(), StringComparison.Ordinal);
    }
}
