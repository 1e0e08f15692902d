using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClinicianPortal.Api.CdsHooks.ClientTokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClinicianPortal.Tests.Api.CdsHooks.ClientTokens;

/// <summary>An EHR's signing key made in the test: its private half signs tokens, its public JWK goes in the JWK Set.</summary>
public sealed class EhrKey : IDisposable
{
    private EhrKey(string kid, ECDsa? ec, RSA? rsa)
    {
        Kid = kid;
        Ec = ec;
        Rsa = rsa;
    }

    public string Kid { get; }
    public ECDsa? Ec { get; }
    public RSA? Rsa { get; }

    public static EhrKey EcP384(string kid) => new(kid, ECDsa.Create(ECCurve.NamedCurves.nistP384), null);
    public static EhrKey EcP256(string kid) => new(kid, ECDsa.Create(ECCurve.NamedCurves.nistP256), null);
    public static EhrKey Rsa2048(string kid) => new(kid, null, RSA.Create(2048));

    public JsonObject PublicJwk()
    {
        if (Ec is not null)
        {
            var p = Ec.ExportParameters(includePrivateParameters: false);
            return new JsonObject
            {
                ["kty"] = "EC", ["crv"] = Ec.KeySize == 384 ? "P-384" : "P-256", ["kid"] = Kid, ["use"] = "sig",
                ["x"] = Base64Url.Encode(p.Q.X), ["y"] = Base64Url.Encode(p.Q.Y),
            };
        }
        var r = Rsa!.ExportParameters(includePrivateParameters: false);
        return new JsonObject { ["kty"] = "RSA", ["kid"] = Kid, ["use"] = "sig", ["n"] = Base64Url.Encode(r.Modulus), ["e"] = Base64Url.Encode(r.Exponent) };
    }

    public static string Jwks(params EhrKey[] keys) => new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)k.PublicJwk())]) }.ToJsonString();

    public byte[] Sign(byte[] data, string alg) => alg switch
    {
        "ES384" => Ec!.SignData(data, HashAlgorithmName.SHA384),
        "ES256" => Ec!.SignData(data, HashAlgorithmName.SHA256),
        "RS384" => Rsa!.SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
        "RS256" => Rsa!.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new ArgumentOutOfRangeException(nameof(alg), alg, null),
    };

    public void Dispose()
    {
        Ec?.Dispose();
        Rsa?.Dispose();
    }
}

/// <summary>Builds CDS Hooks 2.0 client tokens (JWS compact) the way an EHR does, with any claim or header changed.</summary>
public static class ClientJwt
{
    public static Dictionary<string, object?> Header(EhrKey key, string alg) => new() { ["alg"] = alg, ["typ"] = "JWT", ["kid"] = key.Kid };

    public static Dictionary<string, object?> Claims(string issuer, string audience, DateTimeOffset now, string sub = "ehr-client") => new()
    {
        ["iss"] = issuer,
        ["sub"] = sub,
        ["aud"] = audience,
        ["iat"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.AddMinutes(5).ToUnixTimeSeconds(),
        ["jti"] = Guid.NewGuid().ToString(),
    };

    public static string Encode(object value) => Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(value));

    /// <summary>header.payload signed with the key.</summary>
    public static string Sign(EhrKey key, IDictionary<string, object?> header, IDictionary<string, object?> claims)
    {
        var signingInput = Encode(header) + "." + Encode(claims);
        return signingInput + "." + Base64Url.Encode(key.Sign(Encoding.ASCII.GetBytes(signingInput), (string)header["alg"]!));
    }

    public static string Sign(EhrKey key, string alg, IDictionary<string, object?> claims) => Sign(key, Header(key, alg), claims);
}

/// <summary>A client's JWK Set endpoint on a loopback Kestrel: the served sets can be changed, and fetches are counted.</summary>
public sealed class JwksServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private int hits;

    private JwksServer(WebApplication app, string baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }
    /// <summary>The JWK Set served at /{name}.json (404 when absent).</summary>
    public Dictionary<string, string> Sets { get; } = [];
    public int Hits => Volatile.Read(ref hits);

    public string Url(string name) => $"{BaseUrl}/{name}.json";

    public static async Task<JwksServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        JwksServer? server = null;
        app.MapGet("/{name}.json", (string name) =>
        {
            Interlocked.Increment(ref server!.hits);
            return server.Sets.TryGetValue(name, out var json) ? Results.Text(json, "application/json") : Results.NotFound();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new JwksServer(app, address.TrimEnd('/'));
        return server;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
