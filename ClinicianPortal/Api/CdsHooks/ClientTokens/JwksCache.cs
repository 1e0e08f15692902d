using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace ClinicianPortal.Api.CdsHooks.ClientTokens;

/// <summary>
/// The JWK Sets of the trusted clients, fetched over HTTP and kept for <see cref="CdsClientOptions.JwksCacheDuration"/>.
/// A token whose kid the cached set lacks (the client rotated its keys) fetches the set again, at most once per
/// <see cref="CdsClientOptions.JwksMinRefreshInterval"/> per URL, so that unknown kids cannot make the service hammer the client.
/// </summary>
public sealed class JwksCache(IHttpClientFactory httpClients, CdsClientOptions options, TimeProvider time, ILogger<JwksCache> logger)
{
    public const string HttpClientName = "CdsHooks.Jwks";
    /// <summary>A JWK Set is a few kilobytes; anything much larger is not one.</summary>
    private const int MaxBytes = 256 * 1024;

    private sealed record Entry(IReadOnlyList<ClientKey> Keys, DateTimeOffset FetchedAt);

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> fetchLocks = new(StringComparer.Ordinal);

    /// <summary>
    /// The keys at <paramref name="url"/>. With <paramref name="kidMissing"/>, a cached set is fetched again unless it was fetched
    /// within the minimum refresh interval. Throws <see cref="JwksException"/> when the set cannot be fetched or read.
    /// </summary>
    public async Task<IReadOnlyList<ClientKey>> GetAsync(Uri url, bool kidMissing, CancellationToken cancellationToken)
    {
        var key = url.AbsoluteUri;
        if (Fresh(key, kidMissing) is { } cached) return cached.Keys;
        var gate = fetchLocks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(key, kidMissing) is { } fetchedMeanwhile) return fetchedMeanwhile.Keys;
            var keys = await FetchAsync(url, cancellationToken);
            entries[key] = new Entry(keys, time.GetUtcNow());
            return keys;
        }
        finally
        {
            gate.Release();
        }
    }

    private Entry? Fresh(string key, bool kidMissing)
    {
        if (!entries.TryGetValue(key, out var entry)) return null;
        var age = time.GetUtcNow() - entry.FetchedAt;
        if (age >= options.JwksCacheDuration) return null;
        return kidMissing && age >= options.JwksMinRefreshInterval ? null : entry;
    }

    private async Task<IReadOnlyList<ClientKey>> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode) throw new JwksException($"the client's JWK Set could not be fetched (HTTP {(int)response.StatusCode})");
            if (response.Content.Headers.ContentLength > MaxBytes) throw new JwksException("the client's JWK Set is too large");
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var limited = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (limited.Length + read > MaxBytes) throw new JwksException("the client's JWK Set is too large");
                limited.Write(buffer, 0, read);
            }
            return JsonWebKeySet.Parse(JsonNode.Parse(limited.ToArray()));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Could not fetch the JWK Set at {Url}: {Error}", url, e.Message);
            throw new JwksException("the client's JWK Set could not be fetched");
        }
        catch (JwksException e)
        {
            logger.LogWarning("The JWK Set at {Url} is not usable: {Error}", url, e.Message);
            throw;
        }
    }
}
