using System.Collections.Concurrent;

namespace ClinicianPortal.Api.CdsHooks.ClientTokens;

/// <summary>
/// The (iss, jti) pairs of the tokens accepted and not yet expired: a second use of one is a replay. Only tokens whose
/// signature verified get here, so only trusted clients can add entries; expired entries are dropped as new ones come.
/// In memory: a portal run as several instances would need a shared store for this (README).
/// </summary>
public sealed class TokenReplayCache(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Issuer, string Jti), DateTimeOffset> seen = new();
    private DateTimeOffset nextPrune = DateTimeOffset.MinValue;

    /// <summary>True the first time a pair is used before <paramref name="keepUntil"/>; false for a replay.</summary>
    public bool TryUse(string issuer, string jti, DateTimeOffset keepUntil)
    {
        var now = time.GetUtcNow();
        if (now >= nextPrune)
        {
            nextPrune = now.AddMinutes(1);
            foreach (var (entry, until) in seen)
            {
                if (until < now) seen.TryRemove(entry, out _);
            }
        }
        var key = (issuer, jti);
        while (true)
        {
            if (seen.TryAdd(key, keepUntil)) return true;
            if (!seen.TryGetValue(key, out var until)) continue; // pruned meanwhile
            if (until >= now) return false;
            if (seen.TryUpdate(key, keepUntil, until)) return true; // an expired entry not pruned yet
        }
    }
}
