using System.Diagnostics;
using System.Text.Json;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using ClinicianPortal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ClinicianPortal.Tests.Reasoning.Orchestration;

/// <summary>
/// The shipped sample cohort (ClinicianPortal/SampleData): for every acute patient, where the presentation's
/// known working diagnosis (MANIFEST.json, not coded in the bundle) ranks in the case review: in the top three.
/// For every chronic patient (a routine visit), the scenario's long-term condition, documented in the chart,
/// is named in the top three too.
/// </summary>
public sealed class SampleCohortReviewTests(CaseReviewFixture fixture, ITestOutputHelper output) : IClassFixture<CaseReviewFixture>
{
    private static readonly string SampleData = Path.Combine(TestEnvironment.RepositoryRoot, "ClinicianPortal", "SampleData");

    public static TheoryData<string, string, string> AcutePatients()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(SampleData, "MANIFEST.json")));
        var data = new TheoryData<string, string, string>();
        foreach (var file in manifest.RootElement.GetProperty("files").EnumerateArray().Where(f => f.GetProperty("acute").GetBoolean()))
        {
            var diagnosis = file.GetProperty("workingDiagnosis");
            data.Add(file.GetProperty("file").GetString()!, diagnosis.GetProperty("display").GetString()!, diagnosis.GetProperty("code").GetString()!);
        }
        return data;
    }

    /// <summary>
    /// The knowledge-base condition of each chronic scenario. Heart failure and COPD are the long-term conditions
    /// (chronic-heart-failure, stable-copd), not their decompensations: a stable patient at a routine visit is not
    /// having an exacerbation, and naming one would be wrong.
    /// </summary>
    private static readonly Dictionary<string, string> ChronicConditions = new(StringComparer.Ordinal)
    {
        ["type2-diabetes"] = "diabetes-mellitus",
        ["chronic-kidney-disease"] = "chronic-kidney-disease",
        ["heart-failure"] = "chronic-heart-failure",
        ["copd"] = "stable-copd",
        ["hypertension"] = "essential-hypertension",
        ["atrial-fibrillation"] = "atrial-fibrillation",
    };

    public static TheoryData<string, string> ChronicPatients()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(SampleData, "MANIFEST.json")));
        var data = new TheoryData<string, string>();
        foreach (var file in manifest.RootElement.GetProperty("files").EnumerateArray().Where(f => !f.GetProperty("acute").GetBoolean()))
            data.Add(file.GetProperty("file").GetString()!, file.GetProperty("scenario").GetString()!);
        return data;
    }

    /// <summary>By name (the KB keeps the manifest's displays as synonyms), else by the SNOMED CT code.</summary>
    private Shared.Knowledge.Condition? ConditionOf(string name, string snomed) =>
        fixture.Differential.Knowledge.FindByName(name)
            ?? fixture.Differential.Knowledge.Conditions.SingleOrDefault(c => c.Codes.Snomed.Contains(snomed));

    [Fact]
    public async Task Over_all_thirty_samples_every_scenario_diagnosis_is_in_the_top_three_and_the_rank_table_is_printed()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(SampleData, "MANIFEST.json")));
        var files = manifest.RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(30, files.Count);
        output.WriteLine("| sample | acute | diagnosis | condition | rank | top candidate |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- |");
        var misses = new List<string>();
        foreach (var file in files)
        {
            var name = file.GetProperty("file").GetString()!;
            var acute = file.GetProperty("acute").GetBoolean();
            // Acute: the presentation's working diagnosis. Chronic: the scenario's long-term condition.
            var scenario = file.GetProperty("scenario").GetString()!;
            var diagnosis = acute ? file.GetProperty("workingDiagnosis").GetProperty("display").GetString()! : scenario;
            var condition = acute
                ? ConditionOf(diagnosis, file.GetProperty("workingDiagnosis").GetProperty("code").GetString()!)
                : fixture.Differential.Knowledge.Condition(ChronicConditions[scenario]);
            var record = Assert.Single(await CaseReviewFixture.ReadRecordsAsync(Path.Combine(SampleData, name)));
            var review = fixture.Reviewer.Review(record);
            var rank = condition is null ? null : review.Differential.FirstOrDefault(d => d.ConditionId == condition.Id)?.Rank;
            output.WriteLine($"| {name} | {(acute ? "yes" : "no")} | {diagnosis} | {condition?.Id ?? "(none)"} | {rank?.ToString() ?? "-"} | {review.Differential[0].ConditionId} {review.Differential[0].Probability:P1} |");
            if (rank is not (>= 1 and <= 3)) misses.Add($"{name}: {condition?.Id ?? diagnosis} at rank {rank?.ToString() ?? "none"}");
        }
        Assert.True(misses.Count == 0, string.Join("; ", misses));
    }

    [Theory]
    [MemberData(nameof(AcutePatients))]
    public async Task The_working_diagnosis_of_each_acute_sample_patient_ranks_in_the_top_three(string file, string workingDiagnosis, string snomed)
    {
        var condition = ConditionOf(workingDiagnosis, snomed);
        Assert.True(condition is not null, $"'{workingDiagnosis}' ({snomed}) matches no knowledge-base condition");
        var record = Assert.Single(await CaseReviewFixture.ReadRecordsAsync(Path.Combine(SampleData, file)));

        var clock = Stopwatch.StartNew();
        var review = fixture.Reviewer.Review(record);
        var elapsed = clock.Elapsed.TotalMilliseconds;

        var rank = review.Differential.FirstOrDefault(d => d.ConditionId == condition.Id)?.Rank;
        output.WriteLine($"| {file} | {workingDiagnosis} | {condition.Id} | {rank?.ToString() ?? "-"} | {review.Differential[0].ConditionId} {review.Differential[0].Probability:P1} | {review.Setting} | {elapsed:F1} ms |");
        var top = $"{condition.Id} at rank {rank?.ToString() ?? "none"}: " + string.Join(", ", review.Differential.Take(5).Select(d => $"{d.ConditionId} {d.Probability:P1}"));
        Assert.True(rank is >= 1 and <= 3, top);
        var ids = record.Events.Select(e => e.Id).ToHashSet();
        Assert.True(review.Summary.Grounded, string.Join("; ", review.Summary.GroundingIssues));
        Assert.All(review.Differential.SelectMany(d => d.Supporting.Concat(d.Refuting)).SelectMany(e => e.Citations), c => Assert.Contains(c.EventId, ids));
        // The known diagnosis has supporting passages: its references' paraphrases and sentences of this patient's notes.
        var passages = review.Differential.Single(d => d.ConditionId == condition.Id).Passages;
        Assert.Contains(passages, p => p.Source == Shared.Reasoning.Evidence.PassageSource.Reference && condition.References.Contains(p.SourceId));
        Assert.Contains(passages, p => p.Source == Shared.Reasoning.Evidence.PassageSource.Chart);
        Assert.All(passages.Where(p => p.Source == Shared.Reasoning.Evidence.PassageSource.Chart), p => Assert.Contains(p.SourceId, ids));
    }

    [Theory]
    [MemberData(nameof(ChronicPatients))]
    public async Task The_documented_condition_of_each_chronic_sample_patient_ranks_in_the_top_three_with_the_chart_entry_cited(string file, string scenario)
    {
        var condition = fixture.Differential.Knowledge.Condition(ChronicConditions[scenario]);
        Assert.NotNull(condition);
        var record = Assert.Single(await CaseReviewFixture.ReadRecordsAsync(Path.Combine(SampleData, file)));

        var review = fixture.Reviewer.Review(record);

        var rank = review.Differential.FirstOrDefault(d => d.ConditionId == condition.Id)?.Rank;
        var top = $"{condition.Id} at rank {rank?.ToString() ?? "none"}: " + string.Join(", ", review.Differential.Take(5).Select(d => $"{d.ConditionId} {d.Probability:P1}"));
        output.WriteLine(top);
        Assert.True(rank is >= 1 and <= 3, top);
        // The documented diagnosis argues for it, citing the coded problem on the chart.
        var candidate = review.Differential.Single(d => d.ConditionId == condition.Id);
        var coded = record.Events.Where(e => e.Kind == Shared.Records.EventKind.Condition).Select(e => e.Id).ToHashSet();
        Assert.Contains(candidate.Supporting, s => s.Citations.Any(c => coded.Contains(c.EventId)));
        var ids = record.Events.Select(e => e.Id).ToHashSet();
        Assert.All(review.Differential.SelectMany(d => d.Supporting.Concat(d.Refuting)).SelectMany(e => e.Citations), c => Assert.Contains(c.EventId, ids));
    }
}
