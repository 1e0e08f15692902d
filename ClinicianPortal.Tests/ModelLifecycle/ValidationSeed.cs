using System.Data.Common;
using ClinicianPortal.Shared.Governance.Validation;
using Dapper;

namespace ClinicianPortal.Tests.ModelLifecycle;

/// <summary>Writes validator ratings straight into the validation tables, as the validation queue would.</summary>
public static class ValidationSeed
{
    private static long nextAuditId = 1_000_000;

    /// <summary>
    /// <paramref name="outputs"/> sampled outputs of the version, each rated by <paramref name="raters"/> validators with
    /// <paramref name="score"/> on every dimension and <paramref name="harm"/> for potential for harm.
    /// </summary>
    public static async Task RateAsync(Func<DbConnection> connect, string modelId, string version, int outputs, int score, int harm = 1, int raters = 2)
    {
        ArgumentNullException.ThrowIfNull(connect);
        await using var connection = connect();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        for (var i = 0; i < outputs; i++)
        {
            var itemId = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO validation_items (audit_record_id, task, model_id, model_version, sampled_at)
                VALUES (@AuditId, 'differential', @modelId, @version, '2026-11-22T03:00:00Z') RETURNING id
                """, new { AuditId = Interlocked.Increment(ref nextAuditId), modelId, version }, transaction);
            for (var r = 0; r < raters; r++)
            {
                var ratingId = await connection.ExecuteScalarAsync<long>(
                    "INSERT INTO validation_ratings (item_id, rater, comment, rated_at) VALUES (@itemId, @Rater, '', '2026-11-22T03:10:00Z') RETURNING id",
                    new { itemId, Rater = "validator" + r }, transaction);
                foreach (var d in Rubric.Dimensions)
                    await connection.ExecuteAsync("INSERT INTO validation_scores (rating_id, dimension, score) VALUES (@ratingId, @Dimension, @Score)",
                        new { ratingId, Dimension = d.Key, Score = d.Key == Rubric.Harm ? harm : score }, transaction);
            }
        }
        await transaction.CommitAsync();
    }
}
