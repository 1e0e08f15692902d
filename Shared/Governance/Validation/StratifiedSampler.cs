using System.Security.Cryptography;
using System.Text;

namespace ClinicianPortal.Shared.Governance.Validation;

/// <summary>An audited AI output that may be sampled: its audit record and the model that produced it.</summary>
public sealed record SamplingCandidate(long AuditRecordId, string ModelId, string ModelVersion);

/// <summary>One part of a review (<see cref="Task"/>) of one audited output, in the validation queue or about to be.</summary>
public sealed record SampledOutput(long AuditRecordId, ValidationTask Task, string ModelId, string ModelVersion);

/// <summary>A stratum: one task of one model version.</summary>
public sealed record Stratum(string ModelId, string ModelVersion, ValidationTask Task)
{
    public override string ToString() => $"{ModelId} {ModelVersion} {Task.ToString().ToLowerInvariant()}";
}

/// <summary>What a sampling run found per stratum: the outputs it added and how many the stratum now holds.</summary>
public sealed record StratumCount(Stratum Stratum, int Added, int Total, int Available);

/// <summary>
/// Stratified sampling of audited outputs for validation: every stratum (model version × task) is topped up to
/// <c>perStratum</c> items. Which outputs are chosen depends only on the seed and the outputs themselves
/// (each is ranked by a hash of seed, record and task), so a run is reproducible, and a second run over the
/// same outputs adds nothing. Outputs recorded later join a stratum that is not yet full.
/// </summary>
public static class StratifiedSampler
{
    public static IReadOnlyList<ValidationTask> Tasks { get; } = Enum.GetValues<ValidationTask>();

    /// <param name="candidates">Every audited output that may be validated (each yields one candidate per task).</param>
    /// <param name="alreadySampled">What the queue already holds (these count towards their stratum).</param>
    /// <returns>The outputs to add, and the count of every stratum seen.</returns>
    public static (IReadOnlyList<SampledOutput> Added, IReadOnlyList<StratumCount> Strata) Sample(
        IEnumerable<SamplingCandidate> candidates, IEnumerable<SampledOutput> alreadySampled, int perStratum, string seed)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(alreadySampled);
        ArgumentOutOfRangeException.ThrowIfNegative(perStratum);
        ArgumentNullException.ThrowIfNull(seed);

        var existing = alreadySampled.ToList();
        var taken = existing.Select(s => (s.AuditRecordId, s.Task)).ToHashSet();
        var held = existing.GroupBy(StratumOf).ToDictionary(g => g.Key, g => g.Count());
        var open = candidates
            .SelectMany(c => Tasks.Select(t => new SampledOutput(c.AuditRecordId, t, c.ModelId, c.ModelVersion)))
            .Where(o => !taken.Contains((o.AuditRecordId, o.Task)))
            .DistinctBy(o => (o.AuditRecordId, o.Task))
            .GroupBy(StratumOf)
            .ToDictionary(g => g.Key, g => g.ToList());

        var added = new List<SampledOutput>();
        var strata = new List<StratumCount>();
        foreach (var stratum in held.Keys.Union(open.Keys).OrderBy(s => s.ModelId, StringComparer.Ordinal)
                     .ThenBy(s => s.ModelVersion, StringComparer.Ordinal).ThenBy(s => s.Task))
        {
            var has = held.GetValueOrDefault(stratum);
            var pool = open.GetValueOrDefault(stratum) ?? [];
            var chosen = pool
                .OrderBy(o => Rank(seed, o), StringComparer.Ordinal)
                .ThenBy(o => o.AuditRecordId)
                .Take(Math.Max(0, perStratum - has))
                .ToList();
            added.AddRange(chosen);
            strata.Add(new StratumCount(stratum, chosen.Count, has + chosen.Count, has + pool.Count));
        }
        // Oldest output first, its tasks together: the order the queue presents them in.
        return ([.. added.OrderBy(o => o.AuditRecordId).ThenBy(o => o.Task)], strata);
    }

    private static Stratum StratumOf(SampledOutput o) => new(o.ModelId, o.ModelVersion, o.Task);

    // A keyed hash: uniform, reproducible from the seed, and independent of the order outputs were read in.
    private static string Rank(string seed, SampledOutput o) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}\n{o.AuditRecordId}\n{TaskKey(o.Task)}")));

    /// <summary>How a task is stored (validation_items.task) and written in exports.</summary>
    public static string TaskKey(ValidationTask task) => task.ToString().ToLowerInvariant();

    public static ValidationTask ParseTask(string key) =>
        Enum.TryParse<ValidationTask>(key, ignoreCase: true, out var task) && Enum.IsDefined(task)
            ? task
            : throw new FormatException($"'{key}' is not a validation task (summary, differential, evidence).");
}
