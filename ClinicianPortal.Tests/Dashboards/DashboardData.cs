using ClinicianPortal.Audit;
using ClinicianPortal.Data;
using ClinicianPortal.Shared.Governance.Audit;
using Dapper;

namespace ClinicianPortal.Tests.Dashboards;

/// <summary>
/// Validation ratings and annotations written straight into the tables (as feat/validation and feat/annotations would),
/// with the numbers the dashboard must show worked out by hand in <see cref="Expected"/>.
/// </summary>
public static class DashboardData
{
    public const string ModelId = "dashboard-test-model";
    public const string Version = "2.0";
    public const string OlderVersion = "1.0";
    public const string AnnotatedOnlyModel = "dashboard-annotated-only";
    public static readonly DateOnly Day1 = new(2026, 11, 20), Day2 = new(2026, 11, 21);

    /// <summary>
    /// Version 2.0: five sampled outputs. Scores (accurate, harm) by validator and day:
    ///   A differential: v1 (4, 1) day 1; v2 (5, 2) day 1
    ///   B differential: v1 (2, 4) day 1; v2 (3, 3) day 1        ← harm flagged (both ≥ 3)
    ///   C differential: v1 (5, 1) day 1; v2 (5, 1) day 1; v3 (4, 1) day 2
    ///   D summary:      v1 (3, 1) day 2                          ← one rating: needs a second validator
    ///   E differential: not rated
    /// Version 1.0: F differential v1 (1, 5): must never count for 2.0.
    /// Annotations on 2.0's audited output: unsafe open, unsafe resolved, disagree open, agree open, one reply (not counted);
    /// on 1.0's: unsafe (not counted for 2.0). Another model's output is annotated only.
    /// </summary>
    public static async Task SeedAsync(SqlDialect dialect, PatientStore schema)
    {
        await schema.EnsureSchemaAsync();
        var audit = new AuditStore(dialect, schema, TimeProvider.System);
        var current = await audit.AppendAsync(AuditEntry.For("physician", "dash-patient-1", AuditKind.CaseReview, new ModelStamp(ModelId, Version, new string('b', 64)), new { i = 1 }, new { top = "x" }));
        var older = await audit.AppendAsync(AuditEntry.For("physician", "dash-patient-2", AuditKind.CaseReview, new ModelStamp(ModelId, OlderVersion, new string('c', 64)), new { i = 2 }, new { top = "y" }));
        var other = await audit.AppendAsync(AuditEntry.For("physician", "dash-patient-3", AuditKind.Summary, new ModelStamp(AnnotatedOnlyModel, "0.1", new string('d', 64)), new { i = 3 }, new { text = "z" }));

        await using var connection = await dialect.OpenAsync(CancellationToken.None);
        var a = await ItemAsync(connection, current.Id, "differential", Version);
        var b = await ItemAsync(connection, current.Id + 1000, "differential", Version);
        var c = await ItemAsync(connection, current.Id + 2000, "differential", Version);
        var d = await ItemAsync(connection, current.Id, "summary", Version);
        await ItemAsync(connection, current.Id + 3000, "differential", Version);
        var f = await ItemAsync(connection, older.Id, "differential", OlderVersion);

        await RateAsync(connection, a, "validator-1", Day1, 4, 1);
        await RateAsync(connection, a, "validator-2", Day1, 5, 2);
        await RateAsync(connection, b, "validator-1", Day1, 2, 4);
        await RateAsync(connection, b, "validator-2", Day1, 3, 3);
        await RateAsync(connection, c, "validator-1", Day1, 5, 1);
        await RateAsync(connection, c, "validator-2", Day1, 5, 1);
        await RateAsync(connection, c, "validator-3", Day2, 4, 1);
        await RateAsync(connection, d, "validator-1", Day2, 3, 1);
        await RateAsync(connection, f, "validator-1", Day1, 1, 5);

        var unsafeOpen = await AnnotateAsync(connection, current.Id, "unsafe", "open", null);
        await AnnotateAsync(connection, current.Id, "unsafe", "resolved", null);
        await AnnotateAsync(connection, current.Id, "disagree", "open", null);
        await AnnotateAsync(connection, current.Id, "agree", "open", null);
        await AnnotateAsync(connection, current.Id, null, "open", unsafeOpen);
        await AnnotateAsync(connection, older.Id, "unsafe", "open", null);
        await AnnotateAsync(connection, other.Id, "helpful", "open", null);
    }

    private static Task<long> ItemAsync(System.Data.Common.DbConnection connection, long auditRecordId, string task, string version) =>
        connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO validation_items (audit_record_id, task, model_id, model_version, sampled_at)
            VALUES (@AuditRecordId, @Task, @ModelId, @Version, '2026-11-19T08:00:00.0000000+00:00') RETURNING id
            """, new { AuditRecordId = auditRecordId, Task = task, ModelId, Version = version });

    private static async Task RateAsync(System.Data.Common.DbConnection connection, long itemId, string rater, DateOnly day, int accurate, int harm)
    {
        // Minutes after 09:00 in insertion order, so that "first and second rating" is well defined.
        var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero).AddMinutes(Interlocked.Increment(ref minutes));
        var ratingId = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO validation_ratings (item_id, rater, comment, rated_at) VALUES (@ItemId, @Rater, '', @RatedAt) RETURNING id",
            new { ItemId = itemId, Rater = rater, RatedAt = AuditHash.FormatTime(at) }); // as the validation store writes it
        await connection.ExecuteAsync("INSERT INTO validation_scores (rating_id, dimension, score) VALUES (@RatingId, 'accurate', @Accurate), (@RatingId, 'harm', @Harm)",
            new { RatingId = ratingId, Accurate = accurate, Harm = harm });
    }

    private static int minutes;

    private static Task<long> AnnotateAsync(System.Data.Common.DbConnection connection, long auditRecordId, string? verdict, string status, long? parentId) =>
        connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO annotations (audit_record_id, patient_id, target, target_text, parent_id, author, author_role, verdict, comment, status, created_at)
            VALUES (@AuditRecordId, 'dash-patient', 'differential/pneumonia', 'Pneumonia', @ParentId, 'careteam', 'careteam', @Verdict, 'a comment', @Status, '2026-11-20T10:00:00Z')
            RETURNING id
            """, new { AuditRecordId = auditRecordId, Verdict = verdict, Status = status, ParentId = parentId });

    /// <summary>The numbers for version 2.0, all tasks, worked out by hand.</summary>
    public static class Expected
    {
        public const int Sampled = 5, Rated = 4, FullyRated = 3, Raters = 3, Ratings = 8;

        // Accurate, per output the mean over its validators: A 4.5, B 2.5, C 14/3, D 3. Mean 14.6667 / 4 = 3.666667.
        // Squared deviations 0.694444 + 1.361111 + 1 + 0.444444 = 3.5, s² = 3.5 / 3, s = 1.080123;
        // half-width t(0.975, 3) · s / √4 = 3.182446 · 1.080123 / 2 = 1.718717 → [1.947949, 5.385384], cut at the scale's top: 5.
        public const double AccurateMean = 3.666667, AccurateLower = 1.947949, AccurateUpper = 5;

        // κ (quadratic, 1–5) over outputs with exactly two ratings: A (4, 5), B (2, 3). Observed: both one apart, w = 1/16 → 1/16.
        // Expected: first rater 4: .5, 2: .5; second 5: .5, 3: .5; (4,5) 1/16, (4,3) 1/16, (2,5) 9/16, (2,3) 1/16, each · .25 → 3/16.
        // κ = 1 − (1/16) / (3/16) = 2/3.
        public const double AccurateKappa = 2.0 / 3;

        // α ordinal over A (4, 5), B (2, 3), C (5, 5, 4): o23 = o32 = 1, o45 = o54 = 1 + 1, o55 = 1 (C: 2·1/2);
        // n2 = 1, n3 = 1, n4 = 2, n5 = 3, n = 7. δ²: 23 = 1, 24 = 6.25, 25 = 25, 34 = 2.25, 35 = 16, 45 = 6.25.
        // Σ o·δ² = 2·1 + 4·6.25 = 27; Σ n·n·δ² = 2·(1 + 12.5 + 75 + 4.5 + 48 + 37.5) = 357; α = 1 − 6·27/357 = 65/119.
        public const double AccurateAlpha = 65.0 / 119;

        // Harm: outputs with a harm score A, B, C, D; flagged (some score ≥ 3) only B: 1 of 4; ratings flagging: B's two.
        // Wilson 1/4: centre (0.25 + 0.480182) / 1.960365 = 0.372472, half 0.326886 → [0.045587, 0.699358].
        public const int HarmFlagged = 1, HarmScored = 4, HarmFlagRatings = 2;
        public const double HarmLower = 0.045587, HarmUpper = 0.699358;

        // Day 1: six ratings, accurate 4 5 2 3 5 5 → 4.0, harm 1 2 4 3 1 1 → 2.0. Day 2: two ratings, accurate 4 3 → 3.5, harm 1 1 → 1.0.
        public const double Day1Quality = 4.0, Day1Harm = 2.0, Day2Quality = 3.5, Day2Harm = 1.0;
    }
}
