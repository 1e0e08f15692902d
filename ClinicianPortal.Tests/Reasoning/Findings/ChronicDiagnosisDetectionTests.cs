using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Findings;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Tests.Reasoning.Findings;

/// <summary>
/// The shipped knowledge base reads a documented long-term diagnosis (coded problem or note) as the "known
/// diagnosis" finding of its condition, and a long-term oral anticoagulant as such: present when active,
/// historical when resolved, absent when denied, nothing when entered in error or a relative's.
/// </summary>
public sealed class ChronicDiagnosisDetectionTests
{
    private static readonly Lazy<KnowledgeBase> Kb = new(KnowledgeBase.LoadEmbedded);
    private static readonly Lazy<FindingExtractor> Extractor = new(() => new FindingExtractor(Kb.Value));

    private static FindingSet Extract(ChartBuilder chart) => Extractor.Value.Extract(chart.Build(), ChartBuilder.Now);

    [Theory]
    [InlineData(Coding.Snomed, "49436004", "af-history")]            // atrial fibrillation
    [InlineData(Coding.Icd10, "I48.91", "af-history")]               // unspecified AF
    [InlineData(Coding.Snomed, "59621000", "hypertension-history")]  // essential hypertension
    [InlineData(Coding.Snomed, "433144002", "ckd-history")]          // CKD stage 3
    [InlineData(Coding.Snomed, "431857002", "ckd-history")]          // CKD stage 4
    [InlineData(Coding.Snomed, "127013003", "ckd-history")]          // diabetic kidney disease
    [InlineData(Coding.Snomed, "88805009", "heart-failure-history")] // chronic congestive heart failure
    [InlineData(Coding.Snomed, "13645005", "copd-history")]          // COPD
    public void An_active_coded_problem_is_its_known_diagnosis_and_cites_the_problem(string system, string code, string findingId)
    {
        var chart = new ChartBuilder();
        var problem = chart.Condition(system, code, hoursAgo: 24 * 900);

        var found = Extract(chart)[findingId];

        Assert.NotNull(found);
        Assert.Equal(FindingState.Present, found.State);
        Assert.False(found.Historical);
        Assert.Contains(found.Citations, c => c.EventId == problem);
    }

    [Theory]
    [InlineData("49436004", "af-history")]
    [InlineData("59621000", "hypertension-history")]
    [InlineData("433144002", "ckd-history")]
    public void A_resolved_coded_problem_is_historical(string code, string findingId)
    {
        var chart = new ChartBuilder();
        chart.Condition(Coding.Snomed, code, hoursAgo: 24 * 900, status: "resolved", endedHoursAgo: 24 * 400);

        var found = Extract(chart)[findingId]!;

        Assert.Equal(FindingState.Present, found.State);
        Assert.True(found.Historical);
    }

    [Theory]
    [InlineData("entered-in-error")]
    [InlineData("refuted")]
    public void A_coded_af_entered_in_error_or_refuted_is_not_af(string status)
    {
        var chart = new ChartBuilder();
        chart.Condition(Coding.Snomed, "49436004", hoursAgo: 24 * 30, status: status);

        Assert.NotEqual(FindingState.Present, Extract(chart).StateOf("af-history"));
    }

    [Theory]
    [InlineData("Past medical history: hypertension, atrial fibrillation.", FindingState.Present, true)]
    [InlineData("Known atrial fibrillation, rate controlled on metoprolol.", FindingState.Present, false)]
    [InlineData("No history of atrial fibrillation.", FindingState.Absent, false)]
    public void Atrial_fibrillation_in_a_note_is_read_with_its_context(string note, FindingState expected, bool historical)
    {
        var chart = new ChartBuilder();
        chart.Note(note, hoursAgo: 24 * 200);

        var found = Extract(chart)["af-history"]!;

        Assert.Equal(expected, found.State);
        Assert.Equal(historical, found.Historical);
    }

    [Fact]
    public void A_relatives_atrial_fibrillation_is_not_the_patients()
    {
        var chart = new ChartBuilder();
        chart.Note("Family history: mother had atrial fibrillation.", hoursAgo: 2);

        Assert.NotEqual(FindingState.Present, Extract(chart).StateOf("af-history"));
    }

    [Theory]
    [InlineData("855332", "Warfarin Sodium 5 MG Oral Tablet", "active", FindingState.Present)] // product code, matched by name
    [InlineData("1364430", "apixaban", "active", FindingState.Present)]
    [InlineData(null, "rivaroxaban 20 MG Oral Tablet", "active", FindingState.Present)]
    [InlineData("855332", "Warfarin Sodium 5 MG Oral Tablet", "stopped", FindingState.Unknown)]
    [InlineData("67108", "enoxaparin 40 MG/0.4ML Injectable Solution", "active", FindingState.Unknown)] // prophylaxis, not long-term
    public void A_long_term_oral_anticoagulant_is_an_active_warfarin_or_doac(string? rxnorm, string title, string status, FindingState expected)
    {
        var chart = new ChartBuilder();
        chart.Medication(rxnorm, title, hoursAgo: 24 * 300, status: status);

        Assert.Equal(expected, Extract(chart).StateOf("oral-anticoagulant"));
    }

    [Theory]
    [InlineData("Currently on apixaban 5 mg twice daily.", FindingState.Present)]
    [InlineData("Not on warfarin.", FindingState.Absent)]
    public void A_current_note_saying_so_counts_for_the_oral_anticoagulant(string note, FindingState expected)
    {
        var chart = new ChartBuilder();
        chart.Note(note, hoursAgo: 2);

        Assert.Equal(expected, Extract(chart).StateOf("oral-anticoagulant"));
    }

    [Theory]
    [InlineData("diabetes-mellitus", "diabetes-history")]
    [InlineData("chronic-kidney-disease", "ckd-history")]
    [InlineData("essential-hypertension", "hypertension-history")]
    [InlineData("atrial-fibrillation", "af-history")]
    [InlineData("chronic-heart-failure", "heart-failure-history")]
    [InlineData("stable-copd", "copd-history")]
    public void Every_long_term_condition_weighs_its_documented_diagnosis_alike(string conditionId, string findingId)
    {
        var weight = Assert.Single(Kb.Value.Condition(conditionId)!.Findings, f => f.Finding == findingId);

        Assert.Equal(20, weight.PositiveLikelihoodRatio!.Value, 3);
        Assert.True(weight.NegativeLikelihoodRatio <= 0.2, $"{conditionId}: LR- {weight.NegativeLikelihoodRatio}");
    }
}
