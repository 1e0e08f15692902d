using System.Globalization;
using ClinicianPortal.Annotations;
using ClinicianPortal.Api.Keys;
using ClinicianPortal.Data;
using Dapper;

namespace ClinicianPortal.Api.CdsHooks;

/// <summary>One outcome a CDS client reported for a card: accepted, or overridden with a coded reason.</summary>
public sealed record CdsFeedbackRecord(
    string ServiceId, string CardUuid, string Outcome, string? OverrideSystem, string? OverrideCode, string? OverrideDisplay,
    DateTimeOffset OutcomeAt, DateTimeOffset RecordedAt, string? KeyId);

/// <summary>
/// The feedback of the CDS Hooks service: each outcome as the client sent it (table cds_feedback, migration 0005), and,
/// in the same transaction, as an annotation of the card's differential entry on the call's audit record (source
/// 'cds-hooks'; accepted is agree, overridden is disagree with the coded reason), so that it shows on the case and in
/// /annotations beside the clinicians' own. Feedback on a card the portal did not issue is kept, not annotated.
/// </summary>
public sealed class CdsFeedbackStore(SqlDialect dialect, PatientStore schema)
{
    /// <returns>How many of the outcomes became annotations.</returns>
    public async Task<int> AppendAsync(IReadOnlyList<CdsFeedbackRecord> feedback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        await using var connection = await ApiDatabase.OpenAsync(dialect, schema, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var annotated = 0;
        foreach (var f in feedback)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cds_feedback (service_id, card_uuid, outcome, override_system, override_code, override_display, outcome_at, recorded_at, key_id)
                VALUES (@ServiceId, @CardUuid, @Outcome, @OverrideSystem, @OverrideCode, @OverrideDisplay, @OutcomeAt, @RecordedAt, @KeyId)
                """,
                new
                {
                    f.ServiceId, f.CardUuid, f.Outcome, f.OverrideSystem, f.OverrideCode, f.OverrideDisplay,
                    OutcomeAt = Text(f.OutcomeAt), RecordedAt = Text(f.RecordedAt), f.KeyId,
                }, transaction, cancellationToken: cancellationToken));
            if (await AnnotationStore.FindCdsCardAsync(connection, transaction, f.CardUuid, cancellationToken) is { } card)
            {
                await AnnotationStore.InsertAsync(connection, transaction, AnnotationService.FromCdsFeedback(
                    card, f.Outcome, f.OverrideDisplay, f.OverrideCode, f.OverrideSystem, f.KeyId, f.OutcomeAt), cancellationToken);
                annotated++;
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return annotated;
    }

    /// <summary>The feedback on one card, oldest first.</summary>
    public async Task<IReadOnlyList<CdsFeedbackRecord>> ForCardAsync(string cardUuid, CancellationToken cancellationToken = default)
    {
        await using var connection = await ApiDatabase.OpenAsync(dialect, schema, cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT service_id AS ServiceId, card_uuid AS CardUuid, outcome AS Outcome, override_system AS OverrideSystem,
                   override_code AS OverrideCode, override_display AS OverrideDisplay, outcome_at AS OutcomeAt, recorded_at AS RecordedAt, key_id AS KeyId
            FROM cds_feedback WHERE card_uuid = @CardUuid ORDER BY id
            """, new { CardUuid = cardUuid }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new CdsFeedbackRecord(r.ServiceId, r.CardUuid, r.Outcome, r.OverrideSystem, r.OverrideCode, r.OverrideDisplay,
            DateTimeOffset.Parse(r.OutcomeAt, CultureInfo.InvariantCulture), DateTimeOffset.Parse(r.RecordedAt, CultureInfo.InvariantCulture), r.KeyId))];
    }

    private static string Text(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private sealed class Row
    {
        public string ServiceId { get; init; } = "";
        public string CardUuid { get; init; } = "";
        public string Outcome { get; init; } = "";
        public string? OverrideSystem { get; init; }
        public string? OverrideCode { get; init; }
        public string? OverrideDisplay { get; init; }
        public string OutcomeAt { get; init; } = "";
        public string RecordedAt { get; init; } = "";
        public string? KeyId { get; init; }
    }
}
