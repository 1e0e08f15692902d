using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Tests.Records;

/// <summary>What the Records tests share: a fixed key and clock, and an in-memory identifier-hash store.</summary>
internal static class ImportTestKit
{
    public static readonly DeidentificationKey Key = new(Encoding.UTF8.GetBytes("records-tests-secret-0123456789abcdef"));

    /// <summary>"Today" for ages: fixed, so the tests do not change with the calendar.</summary>
    public static readonly DateTimeOffset Today = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    public static FhirImporter Importer(DeidentificationKey? key = null) => new(key ?? Key, new FixedTime(Today));

    public static async Task<ImportBatch> ReadFileAsync(string path, IKnownIdentifiers? known = null, FhirImporter? importer = null)
    {
        await using var stream = File.OpenRead(path);
        return await (importer ?? Importer()).ReadAsync(Path.GetFileName(path), stream, known ?? new InMemoryKnownIdentifiers());
    }

    public static Task<ImportBatch> ReadTextAsync(string sourceName, string content, IKnownIdentifiers? known = null, FhirImporter? importer = null) =>
        (importer ?? Importer()).ReadAsync(sourceName, new MemoryStream(Encoding.UTF8.GetBytes(content)), known ?? new InMemoryKnownIdentifiers());

    /// <summary>Resources per type, counted straight from the raw JSON (independently of the importer).</summary>
    public static Dictionary<string, int> CountTypes(string path)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        IEnumerable<JsonElement> resources;
        if (path.EndsWith(".ndjson", StringComparison.Ordinal))
        {
            resources = File.ReadLines(path).Where(l => l.Trim().Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        }
        else
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            resources = doc.RootElement.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource").Clone()).ToList();
        }
        foreach (var r in resources)
        {
            var type = r.GetProperty("resourceType").GetString()!;
            counts[type] = counts.GetValueOrDefault(type) + 1;
        }
        return counts;
    }

    /// <summary>Everything a batch holds, as one JSON text (to search it for identifiers that must be gone).</summary>
    public static string Serialize(ImportBatch batch) => JsonSerializer.Serialize(batch);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

/// <summary>
/// A stand-in for the store's identifier hashes: accumulates every batch's hashes, as the store does
/// after a successful import, and answers a patient's own plus the global ones.
/// </summary>
internal sealed class InMemoryKnownIdentifiers : IKnownIdentifiers
{
    private readonly ConcurrentDictionary<string, HashSet<string>> _hashes = new(StringComparer.Ordinal);

    public void Add(ImportBatch batch)
    {
        foreach (var h in batch.IdentifierHashes) _hashes.GetOrAdd(h.PatientId ?? "", _ => []).Add(h.Hash);
    }

    public Task<IReadOnlySet<string>> ForPatientAsync(string patientId, CancellationToken cancellationToken)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (_hashes.TryGetValue("", out var global)) result.UnionWith(global);
        if (_hashes.TryGetValue(patientId, out var own)) result.UnionWith(own);
        return Task.FromResult<IReadOnlySet<string>>(result);
    }
}
