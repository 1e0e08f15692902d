using System.Globalization;
using ClinicianPortal.Data;
using ClinicianPortal.Validation;
using Dapper;

namespace ClinicianPortal.Dashboards;

/// <summary>
/// Reads the validation and annotation tables (both dialects) and summarizes them per model version
/// (<see cref="ValidationDashboard"/>). Read-only: it never writes.
/// </summary>
public sealed class DashboardReader(SqlDialect dialect, PatientStore schema, ValidationOptions validation)
{
    /// <summary>Every model version and task with sampled outputs, plus versions whose outputs were only annotated (task "all").</summary>
    public async Task<IReadOnlyList<DashboardChoice>> ChoicesAsync(CancellationToken cancellationToken = default)
    {
        await schema.EnsureSchemaAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var sampled = await connection.QueryAsync<ChoiceRow>(new CommandDefinition(
            """
            SELECT model_id AS ModelId, model_version AS ModelVersion, task AS Task, COUNT(*) AS Outputs
            FROM validation_items GROUP BY model_id, model_version, task
            """, cancellationToken: cancellationToken));
        var annotated = await connection.QueryAsync<ChoiceRow>(new CommandDefinition(
            """
            SELECT DISTINCT r.model_id AS ModelId, r.model_version AS ModelVersion
            FROM annotations a JOIN audit_records r ON r.id = a.audit_record_id
            """, cancellationToken: cancellationToken));
        var choices = sampled.Select(r => new DashboardChoice(r.ModelId, r.ModelVersion, r.Task, (int)r.Outputs)).ToList();
        choices.AddRange(annotated
            .Where(a => !choices.Any(c => c.ModelId == a.ModelId && c.ModelVersion == a.ModelVersion))
            .Select(a => new DashboardChoice(a.ModelId, a.ModelVersion, AllTasks, 0)));
        return [.. choices.OrderBy(c => c.ModelId, StringComparer.Ordinal).ThenByDescending(c => c.ModelVersion, StringComparer.Ordinal)
            .ThenBy(c => c.Task, StringComparer.Ordinal)];
    }

    /// <summary>The task of a choice that covers every task of the version.</summary>
    public const string AllTasks = "all";

    public async Task<ValidationDashboard> ReadAsync(DashboardQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await schema.EnsureSchemaAsync(cancellationToken);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var task = query.Task is null or AllTasks ? null : query.Task;
        // Built, not "(@Task IS NULL OR ...)": PostgreSQL cannot type a null parameter.
        var itemFilter = "i.model_id = @ModelId AND i.model_version = @ModelVersion" + (task is null ? "" : " AND i.task = @Task");
        var parameters = new { query.ModelId, query.ModelVersion, Task = task };

        var sampled = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM validation_items i WHERE {itemFilter}", parameters, cancellationToken: cancellationToken));
        var ratings = (await connection.QueryAsync<RatingDbRow>(new CommandDefinition(
            $"""
            SELECT r.id AS Id, r.item_id AS ItemId, r.rater AS Rater, r.rated_at AS RatedAt
            FROM validation_ratings r JOIN validation_items i ON i.id = r.item_id
            WHERE {itemFilter}
            """, parameters, cancellationToken: cancellationToken))).ToList();
        var scores = (await connection.QueryAsync<ScoreDbRow>(new CommandDefinition(
            $"""
            SELECT s.rating_id AS RatingId, s.dimension AS Dimension, s.score AS Score
            FROM validation_scores s JOIN validation_ratings r ON r.id = s.rating_id JOIN validation_items i ON i.id = r.item_id
            WHERE {itemFilter}
            """, parameters, cancellationToken: cancellationToken))).ToLookup(s => s.RatingId);
        // Annotations are on whole audited outputs, whatever the task: counted per model version.
        var verdicts = await connection.QueryAsync<VerdictDbRow>(new CommandDefinition(
            """
            SELECT a.verdict AS Verdict, COUNT(*) AS Total, SUM(CASE WHEN a.status = 'open' THEN 1 ELSE 0 END) AS Open
            FROM annotations a JOIN audit_records r ON r.id = a.audit_record_id
            WHERE r.model_id = @ModelId AND r.model_version = @ModelVersion AND a.parent_id IS NULL AND a.verdict IS NOT NULL
            GROUP BY a.verdict
            """, parameters, cancellationToken: cancellationToken));

        var rows = ratings.Select(r => new RatingRow(r.ItemId, r.Rater, ParseTime(r.RatedAt),
            scores[r.Id].GroupBy(s => s.Dimension, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (int)g.First().Score, StringComparer.Ordinal))).ToList();
        return ValidationDashboard.From(query with { Task = task }, validation.RatersRequired, (int)sampled, rows,
            [.. verdicts.Select(v => new VerdictCount(v.Verdict, (int)v.Total, (int)v.Open)).OrderByDescending(v => v.Total).ThenBy(v => v.Verdict, StringComparer.Ordinal)]);
    }

    /// <summary>Times are stored as ISO 8601 text; one that does not parse is left out of the trend, not fatal.</summary>
    private static DateTimeOffset? ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;

    private sealed class ChoiceRow
    {
        public string ModelId { get; set; } = "";
        public string ModelVersion { get; set; } = "";
        public string Task { get; set; } = "";
        public long Outputs { get; set; }
    }

    private sealed class RatingDbRow
    {
        public long Id { get; set; }
        public long ItemId { get; set; }
        public string Rater { get; set; } = "";
        public string RatedAt { get; set; } = "";
    }

    private sealed class ScoreDbRow
    {
        public long RatingId { get; set; }
        public string Dimension { get; set; } = "";
        public long Score { get; set; }
    }

    private sealed class VerdictDbRow
    {
        public string Verdict { get; set; } = "";
        public long Total { get; set; }
        public long Open { get; set; }
    }
}
