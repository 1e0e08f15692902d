using ClinicianPortal.Shared.Governance.Validation;

namespace ClinicianPortal.Tests.Governance.Validation;

/// <summary>Stratified sampling: per-stratum counts, reproducibility from the seed, and idempotence.</summary>
public sealed class StratifiedSamplerTests
{
    private const string Seed = "test-seed";

    /// <summary>30 outputs of model v1, 7 of v2 (a shadow model with few outputs) and 12 of another model, interleaved.</summary>
    private static List<SamplingCandidate> Outputs()
    {
        var outputs = new List<SamplingCandidate>();
        long id = 0;
        for (var i = 0; i < 30; i++)
        {
            outputs.Add(new(++id, "differential", "1.0.0"));
            if (i % 4 == 0) outputs.Add(new(++id, "differential", "1.1.0-shadow"));
            if (i % 5 < 2) outputs.Add(new(++id, "other-model", "3"));
        }
        return outputs;
    }

    [Fact]
    public void Every_stratum_of_model_version_and_task_gets_up_to_the_sample_size()
    {
        var outputs = Outputs();
        Assert.Equal(8, outputs.Count(o => o.ModelVersion == "1.1.0-shadow"));
        Assert.Equal(12, outputs.Count(o => o.ModelId == "other-model"));

        var (added, strata) = StratifiedSampler.Sample(outputs, [], perStratum: 10, Seed);

        Assert.Equal(9, strata.Count); // 3 model versions × 3 tasks
        foreach (var group in added.GroupBy(a => (a.ModelId, a.ModelVersion, a.Task)))
            Assert.Equal(group.Key.ModelVersion == "1.1.0-shadow" ? 8 : 10, group.Count());
        Assert.Equal(3 * (10 + 8 + 10), added.Count);
        Assert.All(strata, s => Assert.Equal(s.Added, s.Total));
        Assert.Equal(30, strata.Single(s => s.Stratum == new Stratum("differential", "1.0.0", ValidationTask.Evidence)).Available);
        // Each sampled output belongs to the model version it is filed under.
        var byId = outputs.ToDictionary(o => o.AuditRecordId);
        Assert.All(added, a => Assert.Equal((byId[a.AuditRecordId].ModelId, byId[a.AuditRecordId].ModelVersion), (a.ModelId, a.ModelVersion)));
        Assert.Equal(added.Count, added.Select(a => (a.AuditRecordId, a.Task)).Distinct().Count());
    }

    [Fact]
    public void The_same_seed_and_outputs_give_the_same_sample_whatever_order_the_outputs_are_read_in()
    {
        var outputs = Outputs();
        var first = StratifiedSampler.Sample(outputs, [], 5, Seed).Added;
        var shuffled = outputs.OrderBy(o => (o.AuditRecordId * 7919) % 101).ToList();
        var second = StratifiedSampler.Sample(shuffled, [], 5, Seed).Added;
        Assert.Equal(first.OrderBy(a => (a.AuditRecordId, a.Task)), second.OrderBy(a => (a.AuditRecordId, a.Task)));

        var otherSeed = StratifiedSampler.Sample(outputs, [], 5, "another-seed").Added;
        Assert.NotEqual(first.Select(a => (a.AuditRecordId, a.Task)).Order(), otherSeed.Select(a => (a.AuditRecordId, a.Task)).Order());
    }

    [Fact]
    public void The_sample_is_spread_over_the_outputs_not_the_first_ones()
    {
        var outputs = Enumerable.Range(1, 200).Select(i => new SamplingCandidate(i, "m", "1")).ToList();
        var chosen = StratifiedSampler.Sample(outputs, [], 20, Seed).Added.Where(a => a.Task == ValidationTask.Summary).Select(a => a.AuditRecordId).ToList();
        Assert.Equal(20, chosen.Count);
        Assert.Contains(chosen, id => id > 100);
        Assert.Contains(chosen, id => id <= 100);
        Assert.NotEqual(Enumerable.Range(1, 20).Select(i => (long)i), chosen);
    }

    [Fact]
    public void A_second_run_over_the_same_outputs_adds_nothing_and_new_outputs_only_fill_strata_that_are_not_full()
    {
        var outputs = Outputs();
        var first = StratifiedSampler.Sample(outputs, [], 10, Seed).Added;

        var (again, strata) = StratifiedSampler.Sample(outputs, first, 10, Seed);
        Assert.Empty(again);
        Assert.All(strata, s => Assert.Equal(0, s.Added));

        // One more output of each model version arrives: the shadow strata (8 of 10) take it, the full ones do not.
        var later = outputs.Concat([new SamplingCandidate(1000, "differential", "1.1.0-shadow"), new SamplingCandidate(1001, "differential", "1.0.0")]).ToList();
        var (topUp, after) = StratifiedSampler.Sample(later, first, 10, Seed);
        Assert.Equal(3, topUp.Count);
        Assert.All(topUp, a => Assert.Equal(1000, a.AuditRecordId));
        Assert.All(after.Where(s => s.Stratum.ModelVersion == "1.1.0-shadow"), s => Assert.Equal(9, s.Total));
    }

    [Fact]
    public void A_larger_sample_size_keeps_what_was_sampled_and_adds_the_difference()
    {
        var outputs = Outputs();
        var first = StratifiedSampler.Sample(outputs, [], 4, Seed).Added;
        var (more, strata) = StratifiedSampler.Sample(outputs, first, 6, Seed);
        Assert.Equal(3 * (2 + 2 + 2), more.Count);
        Assert.Empty(more.Select(a => (a.AuditRecordId, a.Task)).Intersect(first.Select(a => (a.AuditRecordId, a.Task))));
        Assert.All(strata, s => Assert.Equal(6, s.Total));
    }

    [Theory]
    [InlineData("summary", ValidationTask.Summary)]
    [InlineData("differential", ValidationTask.Differential)]
    [InlineData("evidence", ValidationTask.Evidence)]
    public void Task_keys_round_trip(string key, ValidationTask task)
    {
        Assert.Equal(key, StratifiedSampler.TaskKey(task));
        Assert.Equal(task, StratifiedSampler.ParseTask(key));
    }

    [Fact]
    public void An_unknown_task_is_refused_with_its_name()
    {
        var e = Assert.Throws<FormatException>(() => StratifiedSampler.ParseTask("narrative"));
        Assert.Contains("narrative", e.Message, StringComparison.Ordinal);
    }
}
