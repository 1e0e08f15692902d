using ClinicianPortal.Api.CdsHooks.ClientTokens;
using Microsoft.Extensions.Configuration;

namespace ClinicianPortal.Tests.Api.CdsHooks.ClientTokens;

/// <summary>CdsHooks:Clients, the trusted EHRs: a configuration that could not verify tokens stops the start, naming the setting.</summary>
public sealed class CdsClientOptionsTests
{
    private static CdsClientOptions From(params (string Key, string? Value)[] settings) =>
        CdsClientOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build());

    [Fact]
    public void No_clients_configured_means_no_client_is_trusted()
    {
        var options = From();

        Assert.Empty(options.Clients);
        Assert.Null(options.Find("https://ehr.example.org"));
    }

    [Fact]
    public void An_inline_jwk_set_given_as_json_text_is_read_and_the_defaults_apply()
    {
        using var key = EhrKey.EcP384("k1");

        var options = From(("CdsHooks:Clients:0:Issuer", "https://ehr.example.org"), ("CdsHooks:Clients:0:Jwks", EhrKey.Jwks(key)));

        var client = Assert.Single(options.Clients);
        Assert.Equal("k1", Assert.Single(client.Jwks).Kid);
        Assert.Equal(["case-review"], client.Scopes);
        Assert.Equal("cds-client:https://ehr.example.org", client.CallerId);
        Assert.Same(client, options.Find("https://ehr.example.org"));
        Assert.Null(options.Find("https://EHR.example.org")); // issuers are compared exactly
    }

    [Fact]
    public void Shared_secret_and_encryption_keys_in_a_jwk_set_are_skipped()
    {
        using var key = EhrKey.Rsa2048("sig");
        var set = System.Text.Json.Nodes.JsonNode.Parse(EhrKey.Jwks(key))!;
        set["keys"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["kty"] = "oct", ["kid"] = "hmac", ["k"] = "c2VjcmV0" });
        var enc = key.PublicJwk();
        enc["kid"] = "enc";
        enc["use"] = "enc";
        set["keys"]!.AsArray().Add(enc);

        var keys = JsonWebKeySet.Parse(set);

        Assert.Equal("sig", Assert.Single(keys).Kid);
    }

    [Theory]
    [InlineData("CdsHooks:Clients:0:Issuer", "", "CdsHooks:Clients:0:Issuer")]
    [InlineData("CdsHooks:Clients:0:JwksUrl", "http://keys.example.org/jwks.json", "CdsHooks:Clients:0:JwksUrl")]
    [InlineData("CdsHooks:Clients:0:JwksUrl", "jwks.json", "CdsHooks:Clients:0:JwksUrl")]
    [InlineData("CdsHooks:Clients:0:AllowedJku:0", "http://keys.example.org/jwks.json", "CdsHooks:Clients:0:AllowedJku:0")]
    [InlineData("CdsHooks:Clients:0:Jwks", "{\"keys\": [{\"kty\": \"RSA\", \"kid\": \"small\", \"n\": \"AQAB\", \"e\": \"AQAB\"}]}", "CdsHooks:Clients:0:Jwks")]
    [InlineData("CdsHooks:Clients:0:Jwks", "not json", "CdsHooks:Clients:0:Jwks")]
    [InlineData("CdsHooks:Clients:0:Scopes:0", "everything", "CdsHooks:Clients:0:Scopes")]
    [InlineData("CdsHooks:Clients:1:Issuer", "https://ehr.example.org", "twice")]
    [InlineData("CdsHooks:ClockSkewSeconds", "3600", "CdsHooks:ClockSkewSeconds")]
    public void A_client_entry_that_cannot_work_is_refused_naming_the_setting(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CdsHooks:Clients:0:Issuer"] = "https://ehr.example.org",
            ["CdsHooks:Clients:0:JwksUrl"] = "https://ehr.example.org/jwks.json",
            ["CdsHooks:Clients:1:JwksUrl"] = "https://ehr.example.org/jwks.json",
        };
        if (key != "CdsHooks:Clients:1:Issuer") settings.Remove("CdsHooks:Clients:1:JwksUrl");
        settings[key] = value;

        var error = Assert.Throws<InvalidOperationException>(() => From([.. settings.Select(s => (s.Key, s.Value))]));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_without_any_source_of_keys_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => From(("CdsHooks:Clients:0:Issuer", "https://ehr.example.org")));

        Assert.Contains("needs Jwks, JwksUrl or AllowedJku", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_loopback_http_key_url_is_allowed_for_a_local_key_server()
    {
        var options = From(("CdsHooks:Clients:0:Issuer", "https://ehr.example.org"), ("CdsHooks:Clients:0:JwksUrl", "http://127.0.0.1:8081/jwks.json"));

        Assert.Equal(new Uri("http://127.0.0.1:8081/jwks.json"), Assert.Single(options.Clients).JwksUrl);
    }
}
