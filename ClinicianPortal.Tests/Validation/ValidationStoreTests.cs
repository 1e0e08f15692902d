using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClinicianPortal.Audit;
using ClinicianPortal.Shared.Governance.Audit;
using ClinicianPortal.Shared.Governance.Validation;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using ClinicianPortal.Tests.Data;
using ClinicianPortal.Tests.Governance.Validation;
using ClinicianPortal.Tests.Identity;
using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Tests.Reasoning.Orchestration;
using ClinicianPortal.Validation;
using Dapper;

namespace ClinicianPortal.Tests.Validation;

/// <summary>The validation queue in a real database of each dialect, over audit records of real case reviews.</summary>
public sealed class ValidationStoreTests(CaseReviewFixture fixture) : IClassFixture<CaseReviewFixture>
{
    private static readonly ManualClock Clock = new(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero));

    private sealed record Setup(TestDatabase Db, AuditStore Audit, ValidationStore Store, List<AuditRecord> Records, CaseReviewResult Review) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Db.DisposeAsync();
    }

    /// <param name="versions">One audited case review per entry, in order.</param>
    private async Task<Setup> SetUpAsync(string dialect, ValidationOptions? options, params string[] versions)
    {
        var db = await TestDatabase.CreateAsync(dialect);
        var audit = new AuditStore(db.Dialect, db.Store, Clock);
        var review = await AuditedReviews.ReviewAsync(fixture);
        var records = await AuditedReviews.AppendAsync(audit, review, [.. versions.Select(AuditedReviews.Model)]);
        return new Setup(db, audit, new ValidationStore(db.Dialect, db.Store, options ?? new ValidationOptions(), Clock), records, review);
    }

    private static Rating Complete(int score = 4, string comment = "") => new(RatingTests.AllScores(score), comment);

    [Theory, SqliteData, PostgresData]
    public async Task Sampling_fills_each_model_version_and_task_up_to_the_sample_size_once(string dialect)
    {
        await using var s = await SetUpAsync(dialect, new ValidationOptions { PerStratum = 3 }, "1.0", "1.0", "1.0", "2.0-shadow", "1.0", "1.0", "2.0-shadow");
        // An output of another kind (CDS Hooks cards) is not a case review: never sampled.
        await s.Audit.AppendAsync(AuditEntry.For("api-key:1", "PT-X", AuditKind.Differential, AuditedReviews.Model("1.0"), new { }, new { cards = Array.Empty<int>() }));

        var first = await s.Store.SampleAsync();

        Assert.Equal(3 * 3 + 2 * 3, first.Added);
        await using var connection = s.Db.Dialect.CreateConnection();
        var perStratum = (await connection.QueryAsync<(string Version, string Task, long Count)>(
            "SELECT model_version, task, COUNT(*) FROM validation_items GROUP BY model_version, task ORDER BY model_version, task")).ToList();
        Assert.Equal(
            [("1.0", "differential", 3L), ("1.0", "evidence", 3L), ("1.0", "summary", 3L), ("2.0-shadow", "differential", 2L), ("2.0-shadow", "evidence", 2L), ("2.0-shadow", "summary", 2L)],
            perStratum);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM validation_items WHERE audit_record_id = 8"));
        // Exactly the sampler's choice for these outputs and this seed (deterministic).
        var expected = StratifiedSampler.Sample(s.Records.Select(r => new SamplingCandidate(r.Id, r.Model.Id, r.Model.Version)), [], 3, new ValidationOptions().Seed).Added;
        var stored = await connection.QueryAsync<(long Record, string Task)>("SELECT audit_record_id, task FROM validation_items");
        Assert.Equal(expected.Select(e => (e.AuditRecordId, StratifiedSampler.TaskKey(e.Task))).Order(), stored.Select(r => (r.Record, r.Task)).Order());

        var second = await s.Store.SampleAsync();
        Assert.Equal(0, second.Added);
        Assert.Equal(15, await s.Db.CountAsync("validation_items"));
        Assert.Equal(5, second.Strata.Single(x => x.Stratum == new Stratum("differential", "1.0", ValidationTask.Summary)).Available);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Concurrent_sampling_runs_never_overfill_a_stratum(string dialect)
    {
        await using var s = await SetUpAsync(dialect, new ValidationOptions { PerStratum = 2 }, "1.0", "1.0", "1.0", "1.0");
        // Two stores on one database: like the page and the command line at once.
        var other = new ValidationStore(s.Db.Dialect, new ClinicianPortal.Data.PatientStore(s.Db.Dialect), new ValidationOptions { PerStratum = 2 }, Clock);

        var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => (i % 2 == 0 ? s.Store : other).SampleAsync())));

        Assert.Equal(6, runs.Sum(r => r.Added));
        Assert.Equal(6, await s.Db.CountAsync("validation_items"));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_validator_rates_an_item_once_and_it_leaves_every_queue_after_the_second_validator(string dialect)
    {
        await using var s = await SetUpAsync(dialect, null, "1.0");
        await s.Store.SampleAsync();

        var queueA = await s.Store.QueueAsync("validator-a");
        Assert.Equal(3, queueA.Waiting);
        Assert.Equal(queueA.Items.Select(i => i.Id).Order(), queueA.Items.Select(i => i.Id)); // oldest first
        Assert.All(queueA.Items, i => Assert.Equal(s.Records[0].PatientPseudonym, i.PatientPseudonym));
        var item = queueA.Items[0];

        await s.Store.RateAsync(item.Id, "validator-a", Complete(4, "first look"));
        var afterA = await s.Store.QueueAsync("validator-a");
        Assert.Equal((2, 1), (afterA.Waiting, afterA.RatedByRater));
        Assert.DoesNotContain(afterA.Items, i => i.Id == item.Id);
        Assert.Contains((await s.Store.QueueAsync("validator-b")).Items, i => i.Id == item.Id); // one rating of two

        var twice = await Assert.ThrowsAsync<RatingRefusedException>(() => s.Store.RateAsync(item.Id, "validator-a", Complete(2)));
        Assert.Contains("already rated", twice.Message, StringComparison.Ordinal);
        Assert.Equal(1, await s.Db.CountAsync("validation_ratings"));
        Assert.Equal(Rubric.Dimensions.Count, await s.Db.CountAsync("validation_scores"));

        await s.Store.RateAsync(item.Id, "validator-b", Complete(3));
        Assert.DoesNotContain((await s.Store.QueueAsync("validator-b")).Items, i => i.Id == item.Id);
        Assert.DoesNotContain((await s.Store.QueueAsync("validator-c")).Items, i => i.Id == item.Id); // two raters: done for everyone
        Assert.Equal(2, (await s.Store.QueueAsync("validator-c")).Waiting);
        Assert.DoesNotContain((await s.Store.AwaitingAsync()).Items, i => i.Id == item.Id);
        Assert.True(await s.Store.HasRatedAsync(item.Id, "validator-b"));
        Assert.False(await s.Store.HasRatedAsync(item.Id, "validator-c"));
    }

    [Theory, SqliteData, PostgresData]
    public async Task One_required_rater_is_configurable(string dialect)
    {
        await using var s = await SetUpAsync(dialect, new ValidationOptions { RatersRequired = 1 }, "1.0");
        await s.Store.SampleAsync();
        var item = (await s.Store.QueueAsync("validator-a")).Items[0];
        await s.Store.RateAsync(item.Id, "validator-a", Complete());
        Assert.DoesNotContain((await s.Store.QueueAsync("validator-b")).Items, i => i.Id == item.Id);
    }

    [Theory, SqliteData, PostgresData]
    public async Task An_incomplete_rating_or_an_unknown_item_is_refused_and_nothing_is_stored(string dialect)
    {
        await using var s = await SetUpAsync(dialect, null, "1.0");
        await s.Store.SampleAsync();
        var item = (await s.Store.QueueAsync("validator-a")).Items[0];
        var scores = RatingTests.AllScores();
        scores.Remove(Rubric.Harm);

        var incomplete = await Assert.ThrowsAsync<RatingRefusedException>(() => s.Store.RateAsync(item.Id, "validator-a", new Rating(scores, "")));
        Assert.Contains("Potential for harm", incomplete.Message, StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<RatingRefusedException>(() => s.Store.RateAsync(999, "validator-a", Complete()));
        Assert.Contains("999", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(0, await s.Db.CountAsync("validation_ratings"));
        Assert.Equal(0, await s.Db.CountAsync("validation_scores"));
    }

    [Theory, SqliteData, PostgresData]
    public async Task An_item_reads_back_with_the_audited_review_it_rates(string dialect)
    {
        await using var s = await SetUpAsync(dialect, null, "1.0");
        await s.Store.SampleAsync();
        var item = (await s.Store.QueueAsync("validator-a")).Items[0];

        var read = await s.Store.GetAsync(item.Id);

        Assert.NotNull(read);
        Assert.Equal(s.Records[0].OutputJson, read.OutputJson);
        Assert.Equal("case-review", read.Kind);
        var review = AuditedOutput.ReadReview(read.OutputJson);
        Assert.NotNull(review);
        Assert.Equal(CanonicalJson.Serialize(CaseReviewJson.Serialize(s.Review)), CanonicalJson.Serialize(CaseReviewJson.Serialize(review)));
        Assert.Null(await s.Store.GetAsync(12345));
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_export_has_one_line_per_rated_output_with_its_model_audit_record_output_and_pseudonymised_ratings(string dialect)
    {
        await using var s = await SetUpAsync(dialect, null, "1.0", "2.0-shadow");
        await s.Store.SampleAsync();
        var items = (await s.Store.QueueAsync("dr-alice")).Items;
        Assert.Equal(6, items.Count);
        await s.Store.RateAsync(items[0].Id, "dr-alice", Complete(5, "clear and cited"));
        await s.Store.RateAsync(items[0].Id, "dr-bob", Complete(2));
        var harmful = RatingTests.AllScores(3);
        harmful[Rubric.Harm] = 5;
        await s.Store.RateAsync(items[4].Id, "dr-bob", new Rating(harmful, "misses the embolism"));

        using var buffer = new MemoryStream();
        var written = await ValidationExport.WriteAsync(s.Store.RatedAsync(), buffer);
        var text = Encoding.UTF8.GetString(buffer.ToArray());

        Assert.Equal(2, written);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(2, lines.Count);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dr-alice", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dr-bob", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dr-requester", text, StringComparison.Ordinal);

        var first = lines[0];
        var record = s.Records.Single(r => r.Id == (long)first["auditRecord"]!["id"]!);
        Assert.Equal(items[0].Id, (long)first["itemId"]!);
        Assert.Equal(StratifiedSampler.TaskKey(items[0].Task), (string)first["task"]!);
        Assert.Equal((record.Model.Id, record.Model.Version, record.Model.Sha256),
            ((string)first["model"]!["id"]!, (string)first["model"]!["version"]!, (string)first["model"]!["sha256"]!));
        Assert.Equal(record.Hash, (string)first["auditRecord"]!["hash"]!);
        Assert.Equal(record.InputSha256, (string)first["auditRecord"]!["inputSha256"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(record.OutputJson), first["output"]));
        var ratings = first["ratings"]!.AsArray();
        Assert.Equal(["rater-1", "rater-2"], ratings.Select(r => (string)r!["rater"]!));
        Assert.Equal("clear and cited", (string)ratings[0]!["comment"]!);
        Assert.Equal(Rubric.Dimensions.Select(d => d.Key), ratings[0]!["scores"]!.AsObject().Select(p => p.Key));
        Assert.All(ratings[1]!["scores"]!.AsObject(), p => Assert.Equal(2, (int)p.Value!));
        Assert.Equal(3.5, (double)first["meanScores"]!["accurate"]!);

        // The same person keeps the same pseudonym across lines (agreement needs it).
        var second = lines[1];
        Assert.Equal(items[4].Id, (long)second["itemId"]!);
        var only = Assert.Single(second["ratings"]!.AsArray());
        Assert.Equal("rater-2", (string)only!["rater"]!);
        Assert.Equal(5, (int)only["scores"]![Rubric.Harm]!);
        Assert.Equal("misses the embolism", (string)only["comment"]!);
    }

    [Theory, SqliteData]
    public async Task An_empty_queue_exports_nothing(string dialect)
    {
        await using var s = await SetUpAsync(dialect, null);
        using var buffer = new MemoryStream();
        Assert.Equal(0, await ValidationExport.WriteAsync(s.Store.RatedAsync(), buffer));
        Assert.Equal(0, buffer.Length);
        Assert.Equal(0, (await s.Store.SampleAsync()).Added);
    }
}
