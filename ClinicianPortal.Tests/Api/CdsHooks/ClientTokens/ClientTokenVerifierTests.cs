using ClinicianPortal.Api.CdsHooks.ClientTokens;
using ClinicianPortal.Tests.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicianPortal.Tests.Api.CdsHooks.ClientTokens;

/// <summary>
/// The verifier and the JWK Set cache on a clock the test moves: clock skew, the 5-minute lifetime, jti reuse after expiry,
/// and how often a client's key server is asked (cached, refreshed on an unknown kid at most once per interval).
/// </summary>
public sealed class ClientTokenVerifierTests : IAsyncLifetime
{
    private const string Issuer = "https://ehr.example.org";
    private const string Audience = "https://portal.example.org/cds-services/clinicianportal-patient-view";
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 11, 22, 4, 0, 0, TimeSpan.Zero));
    private readonly EhrKey key = EhrKey.EcP384("ec-1");
    private readonly EhrKey rsa = EhrKey.Rsa2048("rsa-1");
    private JwksServer server = null!;
    private ServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        server = await JwksServer.StartAsync();
        server.Sets["ehr"] = EhrKey.Jwks(key, rsa);
        services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await server.DisposeAsync();
        key.Dispose();
        rsa.Dispose();
    }

    private (ClientTokenVerifier Verifier, CdsClientOptions Options) Verifier(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CdsHooks:Clients:0:Issuer"] = Issuer,
            ["CdsHooks:Clients:0:JwksUrl"] = server.Url("ehr"),
            ["CdsHooks:ClockSkewSeconds"] = "30",
            ["CdsHooks:JwksRefreshSeconds"] = "60",
            ["CdsHooks:JwksCacheMinutes"] = "10",
        };
        foreach (var (k, v) in extra) settings[k] = v;
        var options = CdsClientOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        var cache = new JwksCache(services.GetRequiredService<IHttpClientFactory>(), options, clock, NullLogger<JwksCache>.Instance);
        return (new ClientTokenVerifier(options, cache, new TokenReplayCache(clock), clock), options);
    }

    private Dictionary<string, object?> Claims() => ClientJwt.Claims(Issuer, Audience, clock.Now);

    private static Task<ClientTokenCheck> VerifyAsync(ClientTokenVerifier verifier, string token) => verifier.VerifyAsync(token, [Audience], CancellationToken.None);

    [Fact]
    public async Task A_valid_token_names_its_client_subject_jti_and_tenant()
    {
        var (verifier, _) = Verifier();
        var claims = Claims();
        claims["tenant"] = "hospital-a";

        var check = await VerifyAsync(verifier, ClientJwt.Sign(key, "ES384", claims));

        Assert.Null(check.Failure);
        Assert.Equal((Issuer, "ehr-client", (string)claims["jti"]!, "hospital-a"), (check.Token!.Client.Issuer, check.Token.Subject, check.Token.Jti, check.Token.Tenant));
    }

    [Fact]
    public async Task An_audience_array_holding_this_service_is_accepted_and_case_and_trailing_slash_of_the_host_do_not_matter()
    {
        var (verifier, _) = Verifier();
        var claims = Claims();
        claims["aud"] = new[] { "https://elsewhere.example.org/cds-services/x", "HTTPS://Portal.Example.org/cds-services/clinicianportal-patient-view/" };

        var check = await VerifyAsync(verifier, ClientJwt.Sign(key, "ES384", claims));

        Assert.Null(check.Failure);
    }

    [Fact]
    public async Task Clock_skew_within_the_configured_seconds_is_tolerated_and_beyond_it_refused()
    {
        var (verifier, _) = Verifier();
        var claims = Claims();
        clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(20)); // 20 s past exp, skew 30 s
        Assert.Null((await VerifyAsync(verifier, ClientJwt.Sign(key, "ES384", claims))).Failure);

        clock.Advance(TimeSpan.FromSeconds(20));
        claims["jti"] = Guid.NewGuid().ToString();
        Assert.Equal("token expired", (await VerifyAsync(verifier, ClientJwt.Sign(key, "ES384", claims))).Failure);
    }

    [Fact]
    public async Task A_jti_may_be_reused_only_once_the_token_that_used_it_has_expired()
    {
        var (verifier, _) = Verifier();
        var first = Claims();
        Assert.Null((await VerifyAsync(verifier, ClientJwt.Sign(key, "ES384", first))).Failure);
        var again = Claims();
        again["jti"] = first["jti"];
        Assert.Equal("token replayed", (await VerifyAsync(verifier, ClientJwt.Sign(key, "ES384", again))).Failure);

        clock.Advance(TimeSpan.FromMinutes(6));
        var later = Claims();
        later["jti"] = first["jti"];

        Assert.Null((await VerifyAsync(verifier, ClientJwt.Sign(key, "ES384", later))).Failure);
    }

    [Fact]
    public async Task The_same_jti_from_two_different_clients_is_not_a_replay()
    {
        using var other = EhrKey.EcP384("other-1");
        var (verifier, _) = Verifier(("CdsHooks:Clients:1:Issuer", "https://other-ehr.example.org"), ("CdsHooks:Clients:1:Jwks", EhrKey.Jwks(other)));
        var claims = Claims();
        Assert.Null((await VerifyAsync(verifier, ClientJwt.Sign(key, "ES384", claims))).Failure);
        claims["iss"] = "https://other-ehr.example.org";

        Assert.Null((await VerifyAsync(verifier, ClientJwt.Sign(other, "ES384", claims))).Failure);
    }

    [Fact]
    public async Task A_jwk_that_names_its_algorithm_verifies_only_that_algorithm()
    {
        var jwk = rsa.PublicJwk();
        jwk["alg"] = "RS384";
        server.Sets["ehr"] = new System.Text.Json.Nodes.JsonObject { ["keys"] = new System.Text.Json.Nodes.JsonArray(jwk) }.ToJsonString();
        var (verifier, _) = Verifier();

        Assert.Null((await VerifyAsync(verifier, ClientJwt.Sign(rsa, "RS384", Claims()))).Failure);
        Assert.Equal("algorithm does not match the client's key", (await VerifyAsync(verifier, ClientJwt.Sign(rsa, "RS256", Claims()))).Failure);
    }

    [Fact]
    public async Task The_key_set_is_fetched_once_then_cached_and_an_unknown_kid_refetches_it_at_most_once_per_interval()
    {
        var (verifier, _) = Verifier();
        await VerifyAsync(verifier, ClientJwt.Sign(key, "ES384", Claims()));
        await VerifyAsync(verifier, ClientJwt.Sign(key, "ES384", Claims()));
        Assert.Equal(1, server.Hits);

        using var unknown = EhrKey.EcP384("not-published");
        for (var i = 0; i < 5; i++)
            Assert.Equal("kid is not in the client's JWK Set", (await VerifyAsync(verifier, ClientJwt.Sign(unknown, "ES384", Claims()))).Failure);
        Assert.Equal(1, server.Hits); // fetched 0 s ago: an unknown kid does not fetch again within 60 s

        // The client rotates its key; after the interval the new kid is found with one more fetch.
        server.Sets["ehr"] = EhrKey.Jwks(key, unknown);
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Null((await VerifyAsync(verifier, ClientJwt.Sign(unknown, "ES384", Claims()))).Failure);
        Assert.Equal(2, server.Hits);

        clock.Advance(TimeSpan.FromMinutes(10)); // the cache duration: fetched again even for a known kid
        Assert.Null((await VerifyAsync(verifier, ClientJwt.Sign(key, "ES384", Claims()))).Failure);
        Assert.Equal(3, server.Hits);
    }

    [Fact]
    public async Task A_key_server_that_fails_or_serves_something_else_refuses_the_token_with_that_reason()
    {
        var (verifier, _) = Verifier(("CdsHooks:Clients:0:JwksUrl", server.Url("missing")));
        Assert.Equal("the client's JWK Set could not be fetched (HTTP 404)", (await VerifyAsync(verifier, ClientJwt.Sign(key, "ES384", Claims()))).Failure);

        server.Sets["garbage"] = "<html>not a key set</html>";
        (verifier, _) = Verifier(("CdsHooks:Clients:0:JwksUrl", server.Url("garbage")));
        Assert.Equal("the client's JWK Set could not be fetched", (await VerifyAsync(verifier, ClientJwt.Sign(key, "ES384", Claims()))).Failure);
    }
}
