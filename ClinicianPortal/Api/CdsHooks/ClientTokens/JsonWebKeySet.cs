using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace ClinicianPortal.Api.CdsHooks.ClientTokens;

/// <summary>A JWK Set that cannot be used; the message is safe to show (it names members, never key material).</summary>
public sealed class JwksException(string message) : Exception(message);

/// <summary>
/// One public signing key of a client, from a JWK (RFC 7517/7518): EC (P-256, P-384) with x/y, or RSA (2048 bits or more)
/// with n/e. Only the public members are imported, whatever else the JWK holds.
/// </summary>
public sealed class ClientKey
{
    private ClientKey(string? kid, string? alg, ECDsa? ec, RSA? rsa, string? curve)
    {
        Kid = kid;
        Alg = alg;
        Ec = ec;
        Rsa = rsa;
        Curve = curve;
    }

    public string? Kid { get; }
    /// <summary>The JWK's own "alg", when it names one: then a token must use exactly that algorithm with it.</summary>
    public string? Alg { get; }
    public ECDsa? Ec { get; }
    public RSA? Rsa { get; }
    /// <summary>"P-256" or "P-384" for EC keys.</summary>
    public string? Curve { get; }

    /// <summary>The key, or null when it is not a signing key this service uses (use "enc", another kty or curve): such keys are skipped.</summary>
    internal static ClientKey? From(JsonObject jwk, int index)
    {
        string? Text(string name) => jwk[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        byte[] Bytes(string name) => Base64Url.Decode(Text(name) ?? throw new JwksException($"keys[{index}] has no '{name}'."))
            ?? throw new JwksException($"keys[{index}].{name} is not base64url.");

        if (Text("use") is { } use && use != "sig") return null;
        var kid = Text("kid");
        var alg = Text("alg");
        switch (Text("kty"))
        {
            case "EC":
                var curve = Text("crv");
                var (named, size) = curve switch
                {
                    "P-256" => (ECCurve.NamedCurves.nistP256, 32),
                    "P-384" => (ECCurve.NamedCurves.nistP384, 48),
                    _ => (default(ECCurve), 0),
                };
                if (size == 0) return null;
                var x = Bytes("x");
                var y = Bytes("y");
                if (x.Length != size || y.Length != size) throw new JwksException($"keys[{index}]: x and y must be {size} bytes for {curve}.");
                try
                {
                    return new ClientKey(kid, alg, ECDsa.Create(new ECParameters { Curve = named, Q = new ECPoint { X = x, Y = y } }), null, curve);
                }
                catch (CryptographicException)
                {
                    throw new JwksException($"keys[{index}] is not a point on {curve}.");
                }
            case "RSA":
                var n = Bytes("n");
                var e = Bytes("e");
                var bits = (n.SkipWhile(b => b == 0).Count()) * 8;
                if (bits < 2048) throw new JwksException($"keys[{index}]: RSA keys must have at least 2048 bits.");
                try
                {
                    var rsa = RSA.Create();
                    rsa.ImportParameters(new RSAParameters { Modulus = n, Exponent = e });
                    return new ClientKey(kid, alg, null, rsa, null);
                }
                catch (CryptographicException)
                {
                    throw new JwksException($"keys[{index}] is not a usable RSA public key.");
                }
            default:
                return null; // "oct" (shared secrets) and others are never used to verify client tokens
        }
    }
}

/// <summary>Parses a JWK Set ({"keys": [...]}) into the signing keys this service can use.</summary>
public static class JsonWebKeySet
{
    public static IReadOnlyList<ClientKey> Parse(JsonNode? json)
    {
        if (json is not JsonObject set || set["keys"] is not JsonArray keys) throw new JwksException("A JWK Set must be an object with a 'keys' array.");
        var parsed = new List<ClientKey>();
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i] is not JsonObject jwk) throw new JwksException($"keys[{i}] is not an object.");
            if (ClientKey.From(jwk, i) is { } key) parsed.Add(key);
        }
        return parsed;
    }
}

/// <summary>base64url without padding (RFC 7515 §2).</summary>
public static class Base64Url
{
    public static byte[]? Decode(string text)
    {
        if (text.Contains('=', StringComparison.Ordinal) || text.Contains('+', StringComparison.Ordinal) || text.Contains('/', StringComparison.Ordinal)) return null;
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => "!" };
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
