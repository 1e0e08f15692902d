using System.Data.Common;
using System.Globalization;
using ClinicianPortal.Data;
using ClinicianPortal.Shared.Governance.Annotations;
using Dapper;

namespace ClinicianPortal.Annotations;

/// <summary>One stored annotation: a thread's first annotation (ParentId null, with a verdict) or a reply.</summary>
public sealed record Annotation(
    long Id, long AuditRecordId, string PatientId, string Target, string TargetText, long? ParentId,
    string Author, string AuthorRole, AnnotationVerdict? Verdict, string Comment, string? Correction, string Source,
    string Status, DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt, string? ResolvedBy)
{
    public bool IsOpen => Status == AnnotationStatus.Open;
}

public static class AnnotationStatus
{
    public const string Open = "open";
    public const string Resolved = "resolved";
}

public static class AnnotationSource
{
    public const string Portal = "portal";
    public const string CdsHooks = "cds-hooks";
}

/// <summary>What to insert; validated by <see cref="AnnotationService"/> before it gets here.</summary>
public sealed record NewAnnotation(
    long AuditRecordId, string PatientId, string Target, string TargetText, long? ParentId, string Author, string AuthorRole,
    AnnotationVerdict? Verdict, string Comment, string? Correction, string Source, DateTimeOffset CreatedAt);

/// <summary>A thread (its first annotation) with the number of replies, for lists.</summary>
public sealed record AnnotationThreadSummary(Annotation Thread, int Replies);

/// <summary>Which threads to list; null or empty means any.</summary>
public sealed record AnnotationQuery(
    IReadOnlyList<AnnotationVerdict>? Verdicts = null, string? Status = null, string? Author = null, string? PatientId = null,
    int Skip = 0, int Take = 100);

/// <summary>A CDS Hooks card as issued: which audit record and which differential entry its feedback is about.</summary>
public sealed record CdsCardTarget(string CardUuid, long AuditRecordId, string PatientId, string Target, string TargetText);

/// <summary>The annotations table (migration 0006) over Dapper, both dialects.</summary>
public sealed class AnnotationStore(SqlDialect dialect, PatientStore schema)
{
    private const string Select =
        """
        a.id AS Id, a.audit_record_id AS AuditRecordId, a.patient_id AS PatientId, a.target AS Target, a.target_text AS TargetText,
        a.parent_id AS ParentId, a.author AS Author, a.author_role AS AuthorRole, a.verdict AS Verdict, a.comment AS Comment,
        a.correction AS Correction, a.source AS Source, a.status AS Status, a.created_at AS CreatedAt, a.resolved_at AS ResolvedAt,
        a.resolved_by AS ResolvedBy
        """;

    public async Task<Annotation> InsertAsync(NewAnnotation annotation, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var id = await InsertAsync(connection, null, annotation, cancellationToken);
        return (await GetAsync(connection, id, cancellationToken))!;
    }

    /// <summary>Inserts inside the caller's transaction (CDS Hooks feedback stores its own row in the same one).</summary>
    internal static Task<long> InsertAsync(DbConnection connection, DbTransaction? transaction, NewAnnotation a, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO annotations (audit_record_id, patient_id, target, target_text, parent_id, author, author_role, verdict, comment, correction, source, status, created_at)
            VALUES (@AuditRecordId, @PatientId, @Target, @TargetText, @ParentId, @Author, @AuthorRole, @Verdict, @Comment, @Correction, @Source, @Status, @CreatedAt)
            RETURNING id
            """,
            new
            {
                a.AuditRecordId, a.PatientId, a.Target, a.TargetText, a.ParentId, a.Author, a.AuthorRole,
                Verdict = a.Verdict is { } v ? AnnotationVerdicts.Name(v) : null, a.Comment, a.Correction, a.Source,
                Status = AnnotationStatus.Open, CreatedAt = Text(a.CreatedAt),
            }, transaction, cancellationToken: cancellationToken));

    public async Task<Annotation?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetAsync(connection, id, cancellationToken);
    }

    /// <summary>Every annotation on one patient's outputs (threads and replies), oldest first.</summary>
    public async Task<IReadOnlyList<Annotation>> ForPatientAsync(string patientId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Select} FROM annotations a WHERE a.patient_id = @PatientId ORDER BY a.id", new { PatientId = patientId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToAnnotation())];
    }

    /// <summary>Threads matching <paramref name="query"/>, newest first, with their reply counts and the total.</summary>
    public async Task<Page<AnnotationThreadSummary>> ThreadsAsync(AnnotationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new List<string> { "a.parent_id IS NULL" };
        if (query.Verdicts is { Count: > 0 }) where.Add(dialect.InList("a.verdict", "Verdicts"));
        if (!string.IsNullOrWhiteSpace(query.Status)) where.Add("a.status = @Status");
        if (!string.IsNullOrWhiteSpace(query.Author)) where.Add("a.author = @Author");
        if (!string.IsNullOrWhiteSpace(query.PatientId)) where.Add("a.patient_id = @PatientId");
        var filter = string.Join(" AND ", where);
        var parameters = new
        {
            Verdicts = query.Verdicts?.Select(AnnotationVerdicts.Name).ToArray() ?? [],
            Status = query.Status?.Trim(), Author = query.Author?.Trim(), PatientId = query.PatientId?.Trim(),
            Skip = Math.Max(0, query.Skip), Take = Math.Clamp(query.Take, 1, 500),
        };
        await using var connection = await OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM annotations a WHERE {filter}", parameters, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT {Select}, (SELECT COUNT(*) FROM annotations r WHERE r.parent_id = a.id) AS Replies
            FROM annotations a WHERE {filter} ORDER BY a.id DESC LIMIT @Take OFFSET @Skip
            """, parameters, cancellationToken: cancellationToken));
        return new Page<AnnotationThreadSummary>([.. rows.Select(r => new AnnotationThreadSummary(r.ToAnnotation(), (int)r.Replies))], (int)total);
    }

    /// <summary>Marks a thread resolved (or open again); false when no thread has that id or it already had that status.</summary>
    public async Task<bool> SetStatusAsync(long threadId, string status, string? by, DateTimeOffset? at, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE annotations SET status = @Status, resolved_by = @By, resolved_at = @At
            WHERE id = @Id AND parent_id IS NULL AND status <> @Status
            """,
            new { Id = threadId, Status = status, By = by, At = at is { } time ? Text(time) : null }, cancellationToken: cancellationToken));
        return changed == 1;
    }

    /// <summary>Remembers which audit record and differential entry each CDS card of a call stands for.</summary>
    public async Task RecordCdsCardsAsync(IReadOnlyList<CdsCardTarget> cards, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cards);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var card in cards)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cds_cards (card_uuid, audit_record_id, patient_id, target, target_text)
                VALUES (@CardUuid, @AuditRecordId, @PatientId, @Target, @TargetText)
                """, card with { CardUuid = card.CardUuid.ToLowerInvariant() }, transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    internal static async Task<CdsCardTarget?> FindCdsCardAsync(DbConnection connection, DbTransaction? transaction, string cardUuid, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<CdsCardTarget>(new CommandDefinition(
            """
            SELECT card_uuid AS CardUuid, audit_record_id AS AuditRecordId, patient_id AS PatientId, target AS Target, target_text AS TargetText
            FROM cds_cards WHERE card_uuid = @CardUuid
            """, new { CardUuid = cardUuid.ToLowerInvariant() }, transaction, cancellationToken: cancellationToken));

    private static async Task<Annotation?> GetAsync(DbConnection connection, long id, CancellationToken cancellationToken) =>
        (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Select} FROM annotations a WHERE a.id = @Id", new { Id = id }, cancellationToken: cancellationToken)))?.ToAnnotation();

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await schema.EnsureSchemaAsync(cancellationToken);
        return await dialect.OpenAsync(cancellationToken);
    }

    private static string Text(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private sealed class Row
    {
        public long Id { get; init; }
        public long AuditRecordId { get; init; }
        public string PatientId { get; init; } = "";
        public string Target { get; init; } = "";
        public string TargetText { get; init; } = "";
        public long? ParentId { get; init; }
        public string Author { get; init; } = "";
        public string AuthorRole { get; init; } = "";
        public string? Verdict { get; init; }
        public string Comment { get; init; } = "";
        public string? Correction { get; init; }
        public string Source { get; init; } = "";
        public string Status { get; init; } = "";
        public string CreatedAt { get; init; } = "";
        public string? ResolvedAt { get; init; }
        public string? ResolvedBy { get; init; }
        public long Replies { get; init; }

        public Annotation ToAnnotation() => new(
            Id, AuditRecordId, PatientId, Target, TargetText, ParentId, Author, AuthorRole, AnnotationVerdicts.Parse(Verdict), Comment, Correction,
            Source, Status, Time(CreatedAt), ResolvedAt is null ? null : Time(ResolvedAt), ResolvedBy);
    }
}
