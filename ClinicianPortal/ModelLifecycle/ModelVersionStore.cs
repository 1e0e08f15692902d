using System.Globalization;
using ClinicianPortal.Data;
using ClinicianPortal.Shared.Governance.Lifecycle;
using ClinicianPortal.Shared.Governance.ModelCards;
using ClinicianPortal.Validation;
using Dapper;

namespace ClinicianPortal.ModelLifecycle;

/// <summary>One model version as the lifecycle knows it.</summary>
public sealed record ModelVersion(string ModelId, string Version, string Sha256, string Task, LifecycleStatus Status, string CardJson,
    DateTimeOffset RegisteredAt, string RegisteredBy, DateTimeOffset StatusChangedAt, string StatusChangedBy)
{
    /// <summary>The stored card, or null when it cannot be read (the page says so).</summary>
    public ModelCard? Card
    {
        get
        {
            try { return ModelCard.Parse(CardJson); }
            catch (InvalidDataException) { return null; }
        }
    }
}

/// <summary>The model_versions table and the validation evidence of a version (both dialects).</summary>
public sealed class ModelVersionStore(SqlDialect dialect, PatientStore schema, ValidationOptions validation)
{
    private const string Select = """
        SELECT model_id AS ModelId, version AS Version, sha256 AS Sha256, task AS Task, status AS Status, card_json AS CardJson,
               registered_at AS RegisteredAt, registered_by AS RegisteredBy, status_changed_at AS StatusChangedAt, status_changed_by AS StatusChangedBy
        FROM model_versions
        """;

    /// <summary>
    /// Adds a version unless it is known: as approved when it is the first version ever of its model id (so that a fresh
    /// installation works), otherwise as shadow. Returns the stored row and whether it was added now.
    /// </summary>
    public async Task<(ModelVersion Version, bool Added)> RegisterAsync(string modelId, string version, string sha256, string task, string cardJson,
        string by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Two processes starting at once must not both find "no version yet" and both approve.
        if (dialect.AppendLockSql("model_versions") is { } lockSql)
            await connection.ExecuteAsync(new CommandDefinition(lockSql, transaction: transaction, cancellationToken: cancellationToken));
        var existing = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            Select + " WHERE model_id = @modelId AND version = @version", new { modelId, version }, transaction, cancellationToken: cancellationToken));
        if (existing is not null) return (existing.ToVersion(), false);
        var any = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM model_versions WHERE model_id = @modelId", new { modelId }, transaction, cancellationToken: cancellationToken));
        var row = new Row
        {
            ModelId = modelId, Version = version, Sha256 = sha256, Task = task,
            Status = LifecycleTransitions.Name(any == 0 ? LifecycleStatus.Approved : LifecycleStatus.Shadow),
            CardJson = cardJson, RegisteredAt = Time(at), RegisteredBy = by, StatusChangedAt = Time(at), StatusChangedBy = by,
        };
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO model_versions (model_id, version, sha256, task, status, card_json, registered_at, registered_by, status_changed_at, status_changed_by)
            VALUES (@ModelId, @Version, @Sha256, @Task, @Status, @CardJson, @RegisteredAt, @RegisteredBy, @StatusChangedAt, @StatusChangedBy)
            """, row, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return (row.ToVersion(), true);
    }

    public async Task<IReadOnlyList<ModelVersion>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(Select + " ORDER BY model_id, registered_at, version", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToVersion())];
    }

    public async Task<ModelVersion?> GetAsync(string modelId, string version, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            Select + " WHERE model_id = @modelId AND version = @version", new { modelId, version }, cancellationToken: cancellationToken));
        return row?.ToVersion();
    }

    /// <summary>Sets the status if it is still <paramref name="from"/>; false when someone changed it meanwhile.</summary>
    public async Task<bool> TryChangeStatusAsync(string modelId, string version, LifecycleStatus from, LifecycleStatus to, string by, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE model_versions SET status = @To, status_changed_at = @At, status_changed_by = @By
            WHERE model_id = @modelId AND version = @version AND status = @From
            """,
            new { modelId, version, From = LifecycleTransitions.Name(from), To = LifecycleTransitions.Name(to), At = Time(at), By = by },
            cancellationToken: cancellationToken));
        return changed == 1;
    }

    /// <summary>The validation ratings of this version's sampled outputs (validation_items / _ratings / _scores).</summary>
    public async Task<ValidationEvidence> EvidenceAsync(string modelId, string version, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var sampled = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM validation_items WHERE model_id = @modelId AND model_version = @version", new { modelId, version },
            cancellationToken: cancellationToken));
        var scores = await connection.QueryAsync<(long ItemId, long RatingId, string Dimension, long Score)>(new CommandDefinition(
            """
            SELECT i.id, r.id, s.dimension, s.score
            FROM validation_items i
            JOIN validation_ratings r ON r.item_id = i.id
            JOIN validation_scores s ON s.rating_id = r.id
            WHERE i.model_id = @modelId AND i.model_version = @version
            """, new { modelId, version }, cancellationToken: cancellationToken));
        return ValidationEvidence.From((int)sampled, scores.Select(s => new RatedScore(s.ItemId, s.RatingId, s.Dimension, (int)s.Score)), validation.RatersRequired);
    }

    private async Task<System.Data.Common.DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await schema.EnsureSchemaAsync(cancellationToken);
        return await dialect.OpenAsync(cancellationToken);
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private sealed class Row
    {
        public string ModelId { get; set; } = "";
        public string Version { get; set; } = "";
        public string Sha256 { get; set; } = "";
        public string Task { get; set; } = "";
        public string Status { get; set; } = "";
        public string CardJson { get; set; } = "";
        public string RegisteredAt { get; set; } = "";
        public string RegisteredBy { get; set; } = "";
        public string StatusChangedAt { get; set; } = "";
        public string StatusChangedBy { get; set; } = "";

        public ModelVersion ToVersion() => new(ModelId, Version, Sha256, Task, LifecycleTransitions.Parse(Status), CardJson,
            Parse(RegisteredAt), RegisteredBy, Parse(StatusChangedAt), StatusChangedBy);

        private static DateTimeOffset Parse(string text) =>
            DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }
}
