using System.Diagnostics;
using System.Text.Json;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using ClinicianPortal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ClinicianPortal.Tests.Reasoning.Orchestration;

/// <summary>
/// The shipped sample cohort (ClinicianPortal/SampleData): for every acute patient, where the presentation's
/// known working diagnosis (MANIFEST.json, not coded in the bundle) ranks in the case review.
/// </summary>
public sealed class SampleCohortReviewTests(CaseReviewFixture fixture, ITestOutputHelper output) : IClassFixture<CaseReviewFixture>
{
    private static readonly string SampleData = Path.Combine(TestEnvironment.RepositoryRoot, "ClinicianPortal", "SampleData");

    /// <summary>
    /// Acute samples whose working diagnosis the review does not put in the top three, and why. Not tuned away:
    /// these are gaps of the knowledge base's likelihood ratios, to fix there (for every patient, not these).
    /// </summary>
    private static readonly Dictionary<string, string> KnownGaps = new()
    {
        // PE lists no weight for clinical signs of DVT (a Wells criterion), tachypnoea or troponin/BNP (right-heart
        // strain), which this presentation has; acute MI takes the troponin and T-wave inversion.
        ["patient-0022-pulmonary-embolism.json"] = "pulmonary embolism lacks weights for DVT signs, tachypnoea, troponin/BNP",
    };

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

    [Theory]
    [MemberData(nameof(AcutePatients))]
    public async Task The_working_diagnosis_of_each_acute_sample_patient_ranks_in_the_top_three_unless_a_known_gap(string file, string workingDiagnosis, string snomed)
    {
        // By name first; a display the KB has no synonym for (e.g. "Upper gastrointestinal hemorrhage") by its SNOMED CT code.
        var condition = fixture.Differential.Knowledge.FindByName(workingDiagnosis)
            ?? fixture.Differential.Knowledge.Conditions.SingleOrDefault(c => c.Codes.Snomed.Contains(snomed));
        Assert.True(condition is not null, $"'{workingDiagnosis}' ({snomed}) matches no knowledge-base condition");
        var record = Assert.Single(await CaseReviewFixture.ReadRecordsAsync(Path.Combine(SampleData, file)));

        var clock = Stopwatch.StartNew();
        var review = fixture.Reviewer.Review(record);
        var elapsed = clock.Elapsed.TotalMilliseconds;

        var rank = review.Differential.FirstOrDefault(d => d.ConditionId == condition.Id)?.Rank;
        output.WriteLine($"| {file} | {workingDiagnosis} | {condition.Id} | {rank?.ToString() ?? "-"} | {review.Differential[0].ConditionId} {review.Differential[0].Probability:P1} | {review.Setting} | {elapsed:F1} ms |");
        var top = $"{condition.Id} at rank {rank?.ToString() ?? "none"}: " + string.Join(", ", review.Differential.Take(5).Select(d => $"{d.ConditionId} {d.Probability:P1}"));
        if (KnownGaps.ContainsKey(file)) Assert.True(rank is > 3 and <= 10, "known gap, now " + top + " (update KnownGaps)");
        else Assert.True(rank is >= 1 and <= 3, top);
        var ids = record.Events.Select(e => e.Id).ToHashSet();
        Assert.True(review.Summary.Grounded, string.Join("; ", review.Summary.GroundingIssues));
        Assert.All(review.Differential.SelectMany(d => d.Supporting.Concat(d.Refuting)).SelectMany(e => e.Citations), c => Assert.Contains(c.EventId, ids));
    }
}
