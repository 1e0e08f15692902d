using System.Data.Common;
using System.Globalization;
using ClinicianPortal.Data;
using ClinicianPortal.Shared.Governance.Audit;
using ClinicianPortal.Shared.Governance.Validation;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ClinicianPortal.Validation;

/// <summary>An output's task in the validation queue; <see cref="PatientPseudonym"/> is the only patient identity it carries.</summary>
public sealed record ValidationItem(long Id, long AuditRecordId, ValidationTask Task, string ModelId, string ModelVersion, DateTimeOffset SampledAt,
    string PatientPseudonym, int Ratings);

/// <summary>An item with the audited output it rates (the audit record's JSON).</summary>
public sealed record ValidationItemOutput(ValidationItem Item, string Kind, string OutputJson);

/// <summary>A validator's queue: the first items to rate (oldest first), how many wait in all, and how many they have rated.</summary>
public sealed record ValidationQueue(IReadOnlyList<ValidationItem> Items, int Waiting, int RatedByRater);

/// <summary>What a sampling run did, per stratum.</summary>
public sealed record SamplingResult(IReadOnlyList<StratumCount> Strata)
{
    public int Added => Strata.Sum(s => s.Added);
}

/// <summary>A rating the store refused (already rated, no such item, incomplete): the message is for the validator.</summary>
public sealed class RatingRefusedException : Exception
{
    public RatingRefusedException() { }
    public RatingRefusedException(string message) : base(message) { }
    public RatingRefusedException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// The validation queue and its ratings (tables of migration 0007) in the app's database, both dialects. Items are
/// sampled from the audit trail; a validator rates an item once; an item leaves the queue when enough validators have.
/// </summary>
public sealed class ValidationStore(SqlDialect dialect, PatientStore schema, ValidationOptions options, TimeProvider clock)
{
    private const string ItemColumns =
        """
        i.id AS Id, i.audit_record_id AS AuditRecordId, i.task AS Task, i.model_id AS ModelId, i.model_version AS ModelVersion,
        i.sampled_at AS SampledAt, a.patient_id AS PatientPseudonym,
        (SELECT COUNT(*) FROM validation_ratings r WHERE r.item_id = i.id) AS Ratings
        """;

    public ValidationOptions Options => options;

    /// <summary>
    /// Tops every stratum (model version × task) up to <paramref name="perStratum"/> items (<see cref="ValidationOptions.PerStratum"/>
    /// by default) from the audited outputs of the sampled kinds. Running it again over the same outputs adds nothing.
    /// </summary>
    public async Task<SamplingResult> SampleAsync(int? perStratum = null, CancellationToken cancellationToken = default)
    {
        await schema.EnsureSchemaAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One sampling run at a time (two would each top a stratum up and overfill it).
        if (dialect.AppendLockSql("validation_items") is { } lockSql)
            await connection.ExecuteAsync(new CommandDefinition(lockSql, transaction: transaction, cancellationToken: cancellationToken));
        var candidates = await connection.QueryAsync<SamplingCandidate>(new CommandDefinition(
            $"SELECT id AS AuditRecordId, model_id AS ModelId, model_version AS ModelVersion FROM audit_records WHERE {dialect.InList("kind", "Kinds")} ORDER BY id",
            new { Kinds = options.Kinds.ToArray() }, transaction, cancellationToken: cancellationToken));
        var existing = (await connection.QueryAsync<(long AuditRecordId, string Task, string ModelId, string ModelVersion)>(new CommandDefinition(
            "SELECT audit_record_id, task, model_id, model_version FROM validation_items", transaction: transaction, cancellationToken: cancellationToken)))
            .Select(e => new SampledOutput(e.AuditRecordId, StratifiedSampler.ParseTask(e.Task), e.ModelId, e.ModelVersion));
        var (added, strata) = StratifiedSampler.Sample(candidates, existing, perStratum ?? options.PerStratum, options.Seed);
        var now = Format(clock.GetUtcNow());
        foreach (var item in added)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO validation_items (audit_record_id, task, model_id, model_version, sampled_at)
                VALUES (@AuditRecordId, @Task, @ModelId, @ModelVersion, @SampledAt)
                ON CONFLICT (audit_record_id, task) DO NOTHING
                """,
                new { item.AuditRecordId, Task = StratifiedSampler.TaskKey(item.Task), item.ModelId, item.ModelVersion, SampledAt = now },
                transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
        return new SamplingResult(strata);
    }

    /// <summary>
    /// What <paramref name="rater"/> still has to rate: items with fewer than the required ratings that they have not rated,
    /// oldest first (at most <paramref name="take"/>), with the count of all such items and of the items they rated.
    /// </summary>
    public async Task<ValidationQueue> QueueAsync(string rater, int take = 50, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rater);
        await schema.EnsureSchemaAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        const string Waiting =
            """
            FROM validation_items i JOIN audit_records a ON a.id = i.audit_record_id
            WHERE (SELECT COUNT(*) FROM validation_ratings r WHERE r.item_id = i.id) < @Required
              AND NOT EXISTS (SELECT 1 FROM validation_ratings r WHERE r.item_id = i.id AND r.rater = @Rater)
            """;
        var args = new { Rater = rater, Required = options.RatersRequired, Take = Math.Clamp(take, 1, 500) };
        var rows = await connection.QueryAsync<ItemRow>(new CommandDefinition(
            $"SELECT {ItemColumns} {Waiting} ORDER BY i.id LIMIT @Take", args, cancellationToken: cancellationToken));
        var waiting = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) {Waiting}", args, cancellationToken: cancellationToken));
        var rated = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM validation_ratings WHERE rater = @Rater", args, cancellationToken: cancellationToken));
        return new ValidationQueue([.. rows.Select(r => r.ToItem())], (int)waiting, (int)rated);
    }

    /// <summary>Items that still need ratings from anyone, oldest first, with how many each has (for administrators, not validators).</summary>
    public async Task<Page<ValidationItem>> AwaitingAsync(int take = 100, CancellationToken cancellationToken = default)
    {
        await schema.EnsureSchemaAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        const string Awaiting =
            "FROM validation_items i JOIN audit_records a ON a.id = i.audit_record_id WHERE (SELECT COUNT(*) FROM validation_ratings r WHERE r.item_id = i.id) < @Required";
        var args = new { Required = options.RatersRequired, Take = Math.Clamp(take, 1, 500) };
        var rows = await connection.QueryAsync<ItemRow>(new CommandDefinition($"SELECT {ItemColumns} {Awaiting} ORDER BY i.id LIMIT @Take", args, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) {Awaiting}", args, cancellationToken: cancellationToken));
        return new Page<ValidationItem>([.. rows.Select(r => r.ToItem())], (int)total);
    }

    /// <summary>The item and the audited output it rates, or null when there is no such item.</summary>
    public async Task<ValidationItemOutput?> GetAsync(long itemId, CancellationToken cancellationToken = default)
    {
        await schema.EnsureSchemaAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ItemRow>(new CommandDefinition(
            $"SELECT {ItemColumns}, a.kind AS Kind, a.output_json AS OutputJson FROM validation_items i JOIN audit_records a ON a.id = i.audit_record_id WHERE i.id = @Id",
            new { Id = itemId }, cancellationToken: cancellationToken));
        return row is null ? null : new ValidationItemOutput(row.ToItem(), row.Kind, row.OutputJson);
    }

    public async Task<bool> HasRatedAsync(long itemId, string rater, CancellationToken cancellationToken = default)
    {
        await schema.EnsureSchemaAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM validation_ratings WHERE item_id = @Item AND rater = @Rater", new { Item = itemId, Rater = rater },
            cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Stores <paramref name="rater"/>'s rating of the item: every dimension scored, once per rater.</summary>
    /// <exception cref="RatingRefusedException">Incomplete, no such item, or already rated by this rater (nothing is stored).</exception>
    public async Task RateAsync(long itemId, string rater, Rating rating, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rater);
        ArgumentNullException.ThrowIfNull(rating);
        if (rating.Problems() is [_, ..] problems) throw new RatingRefusedException(string.Join(" ", problems));
        await schema.EnsureSchemaAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM validation_items WHERE id = @Id", new { Id = itemId }, transaction, cancellationToken: cancellationToken)) == 0)
            throw new RatingRefusedException($"There is no validation item {itemId}.");
        long ratingId;
        try
        {
            ratingId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO validation_ratings (item_id, rater, comment, rated_at) VALUES (@Item, @Rater, @Comment, @At) RETURNING id",
                new { Item = itemId, Rater = rater, Comment = rating.Comment.Trim(), At = Format(clock.GetUtcNow()) }, transaction, cancellationToken: cancellationToken));
        }
        catch (DbException e) when (IsUniqueViolation(e))
        {
            throw new RatingRefusedException("You have already rated this output: each validator rates an output once.", e);
        }
        foreach (var (dimension, score) in rating.Scores)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO validation_scores (rating_id, dimension, score) VALUES (@Rating, @Dimension, @Score)",
                new { Rating = ratingId, Dimension = dimension, Score = score }, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Items with at least one rating, in id order, a chunk at a time, each with its audit record and ratings.</summary>
    public async IAsyncEnumerable<RatedOutput> RatedAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await schema.EnsureSchemaAsync(cancellationToken);
        long after = 0;
        while (true)
        {
            List<RatedRow> items;
            List<ScoreRow> scores;
            await using (var connection = await dialect.OpenAsync(cancellationToken))
            {
                items = [.. await connection.QueryAsync<RatedRow>(new CommandDefinition(
                    """
                    SELECT i.id AS Id, i.task AS Task, a.id AS AuditRecordId, a.hash AS AuditHash, a.kind AS Kind, a.recorded_at AS RecordedAt,
                           a.model_id AS ModelId, a.model_version AS ModelVersion, a.model_sha256 AS ModelSha256, a.input_sha256 AS InputSha256,
                           a.output_json AS OutputJson
                    FROM validation_items i JOIN audit_records a ON a.id = i.audit_record_id
                    WHERE i.id > @After AND EXISTS (SELECT 1 FROM validation_ratings r WHERE r.item_id = i.id)
                    ORDER BY i.id LIMIT 100
                    """, new { After = after }, cancellationToken: cancellationToken))];
                if (items.Count == 0) yield break;
                scores = [.. await connection.QueryAsync<ScoreRow>(new CommandDefinition(
                    $"""
                    SELECT r.id AS RatingId, r.item_id AS ItemId, r.rater AS Rater, r.comment AS Comment, r.rated_at AS RatedAt,
                           s.dimension AS Dimension, s.score AS Score
                    FROM validation_ratings r JOIN validation_scores s ON s.rating_id = r.id
                    WHERE {dialect.InList("r.item_id", "Ids")} ORDER BY r.id, s.dimension
                    """, new { Ids = items.Select(i => i.Id).ToArray() }, cancellationToken: cancellationToken))];
            }
            var byItem = scores.GroupBy(s => s.ItemId).ToDictionary(g => g.Key, g => g.GroupBy(s => s.RatingId)
                .Select(r => new StoredRating(r.First().Rater, Parse(r.First().RatedAt), r.First().Comment,
                    r.ToDictionary(s => s.Dimension, s => (int)s.Score, StringComparer.Ordinal)))
                .ToList());
            foreach (var item in items)
            {
                yield return new RatedOutput(item.Id, StratifiedSampler.ParseTask(item.Task), item.AuditRecordId, item.AuditHash, item.Kind, Parse(item.RecordedAt),
                    new ModelStamp(item.ModelId, item.ModelVersion, item.ModelSha256), item.InputSha256, item.OutputJson, byItem.GetValueOrDefault(item.Id) ?? []);
            }
            after = items[^1].Id;
        }
    }

    internal static bool IsUniqueViolation(DbException e) =>
        e.SqlState == "23505" || e is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    private static string Format(DateTimeOffset time) => AuditHash.FormatTime(time);

    private static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, AuditHash.TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private sealed class ItemRow
    {
        public long Id { get; set; }
        public long AuditRecordId { get; set; }
        public string Task { get; set; } = "";
        public string ModelId { get; set; } = "";
        public string ModelVersion { get; set; } = "";
        public string SampledAt { get; set; } = "";
        public string PatientPseudonym { get; set; } = "";
        public long Ratings { get; set; }
        public string Kind { get; set; } = "";
        public string OutputJson { get; set; } = "";

        public ValidationItem ToItem() =>
            new(Id, AuditRecordId, StratifiedSampler.ParseTask(Task), ModelId, ModelVersion, Parse(SampledAt), PatientPseudonym, (int)Ratings);
    }

    private sealed class RatedRow
    {
        public long Id { get; set; }
        public string Task { get; set; } = "";
        public long AuditRecordId { get; set; }
        public string AuditHash { get; set; } = "";
        public string Kind { get; set; } = "";
        public string RecordedAt { get; set; } = "";
        public string ModelId { get; set; } = "";
        public string ModelVersion { get; set; } = "";
        public string ModelSha256 { get; set; } = "";
        public string InputSha256 { get; set; } = "";
        public string OutputJson { get; set; } = "";
    }

    private sealed class ScoreRow
    {
        public long RatingId { get; set; }
        public long ItemId { get; set; }
        public string Rater { get; set; } = "";
        public string Comment { get; set; } = "";
        public string RatedAt { get; set; } = "";
        public string Dimension { get; set; } = "";
        public long Score { get; set; }
    }
}

/// <summary>A stored rating, with the rater's user name (the export pseudonymises it).</summary>
public sealed record StoredRating(string Rater, DateTimeOffset RatedAt, string Comment, IReadOnlyDictionary<string, int> Scores);

/// <summary>A rated item with everything needed to reproduce and learn from it.</summary>
public sealed record RatedOutput(long ItemId, ValidationTask Task, long AuditRecordId, string AuditHash, string Kind, DateTimeOffset RecordedAt,
    ModelStamp Model, string InputSha256, string OutputJson, IReadOnlyList<StoredRating> Ratings);
