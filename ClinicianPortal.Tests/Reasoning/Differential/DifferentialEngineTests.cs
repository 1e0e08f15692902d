using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Shared.Reasoning.Findings;
using static ClinicianPortal.Tests.Reasoning.Differential.Cases;

namespace ClinicianPortal.Tests.Reasoning.Differential;

/// <summary>The engine on hand-made finding sets: rankings of classic presentations, and explanations that add up.</summary>
public sealed class DifferentialEngineTests(DifferentialFixture fixture) : IClassFixture<DifferentialFixture>
{
    private static int RankOf(DifferentialResult result, string conditionId) =>
        result.Candidates.Where(c => c.InTopK).Select(c => c.ConditionId).ToList().IndexOf(conditionId);

    private static string Top(DifferentialResult result, int n) =>
        string.Join(", ", result.Candidates.Take(n).Select(c => $"{c.ConditionId} {c.Probability:P1}"));

    [Fact]
    public void Pleuritic_pain_tachycardia_raised_ddimer_and_recent_surgery_put_pulmonary_embolism_in_the_top_three()
    {
        var result = fixture.Engine.Evaluate(Of(
            Present("pleuritic-chest-pain", "note-1"), Present("tachycardia", "obs-hr"),
            Present("ddimer-elevated", "obs-dd"), Present("recent-surgery-or-immobilisation", "proc-1")));

        var rank = RankOf(result, "pulmonary-embolism");
        Assert.True(rank is >= 0 and < 3, $"PE at rank {rank}: {Top(result, 5)}");
        var pe = result.Candidates[rank];
        Assert.True(pe.CantMiss);
        var baseline = fixture.Engine.Evaluate(Of(), new DifferentialOptions { CantMissFloor = 0 }).Candidates.Single(c => c.ConditionId == "pulmonary-embolism");
        Assert.True(pe.Probability > 4 * baseline.Probability, $"PE {pe.Probability:P1} vs {baseline.Probability:P2} with no findings");
    }

    [Fact]
    public void Fever_cough_crackles_consolidation_and_raised_crp_make_pneumonia_the_leader()
    {
        var result = fixture.Engine.Evaluate(Of(
            Present("fever", "obs-t"), Present("cough", "note-1"), Present("crackles", "note-1"),
            Present("infiltrate-on-cxr", "report-cxr"), Present("crp-elevated", "obs-crp")));

        Assert.True(result.Candidates[0].ConditionId == "community-acquired-pneumonia", Top(result, 5));
        Assert.False(result.Candidates[0].CantMiss);
    }

    [Fact]
    public void Polyuria_high_glucose_ketones_and_low_bicarbonate_make_dka_the_leader_flagged_cant_miss()
    {
        var result = fixture.Engine.Evaluate(Of(
            Present("polyuria-polydipsia", "note-1"), Present("hyperglycaemia-250", "obs-glu"),
            Present("ketones-positive", "obs-ket"), Present("low-bicarbonate", "obs-hco3")));

        Assert.True(result.Candidates[0].ConditionId == "diabetic-ketoacidosis", Top(result, 5));
        Assert.True(result.Candidates[0].CantMiss);
    }

    [Fact]
    public void Contributions_add_up_with_the_prior_to_the_model_logit_of_every_candidate()
    {
        var random = new Random(7);
        var cases = Enumerable.Range(0, 20).Select(_ => Random(random, fixture.Spec, 0.08, 0.08)).ToList();

        var results = fixture.Engine.EvaluateBatch(cases, new DifferentialOptions { Setting = CareSetting.Inpatient, CantMissFloor = 0.001 });

        foreach (var candidate in results.SelectMany(r => r.Candidates))
        {
            var sum = candidate.PriorLogOdds + candidate.Supporting.Sum(x => x.Contribution) + candidate.Refuting.Sum(x => x.Contribution);
            Assert.True(Math.Abs(sum - candidate.LogOdds) < 1e-4, $"{candidate.ConditionId}: prior + contributions = {sum}, model logit {candidate.LogOdds}");
        }
        Assert.Contains(results.SelectMany(r => r.Candidates), c => c.Supporting.Count > 0 && c.Refuting.Count > 0);
    }

    [Fact]
    public void Supporting_and_refuting_findings_have_the_right_signs_references_and_citations()
    {
        // Fever refutes PE (LR+ 0.7); a normal D-dimer refutes it strongly (LR− 0.05); tachycardia supports it.
        var result = fixture.Engine.Evaluate(Of(
            Present("tachycardia", "obs-hr-1", "obs-hr-2"), Present("fever", "obs-t"), Absent("ddimer-elevated", "obs-dd"),
            Present("pleuritic-chest-pain", "note-1")),
            new DifferentialOptions { CantMissFloor = 0 });

        var pe = result.Candidates.Single(c => c.ConditionId == "pulmonary-embolism");
        var tachycardia = pe.Supporting.Single(x => x.FindingId == "tachycardia");
        Assert.Equal(Math.Log(1.5), tachycardia.Contribution, 5);
        Assert.Equal(["obs-hr-1", "obs-hr-2"], tachycardia.Citations.Select(c => c.EventId));
        Assert.Equal("esc-2019-pe", tachycardia.ReferenceId);
        Assert.True(tachycardia.IsEstimate);
        Assert.Equal(FindingState.Present, tachycardia.State);

        var ddimer = pe.Refuting.Single(x => x.FindingId == "ddimer-elevated");
        Assert.Equal(Math.Log(0.05), ddimer.Contribution, 5);
        Assert.Equal(FindingState.Absent, ddimer.State);
        Assert.Equal(["obs-dd"], ddimer.Citations.Select(c => c.EventId));
        Assert.Contains(pe.Refuting, x => x.FindingId == "fever" && x.Contribution < 0);
        Assert.All(pe.Supporting, x => Assert.True(x.Contribution > 0));
        Assert.All(pe.Refuting, x => Assert.True(x.Contribution < 0));
        Assert.Equal(pe.Refuting.Min(x => x.Contribution), pe.Refuting[0].Contribution); // strongest first
    }

    [Fact]
    public void Published_weights_are_marked_as_not_estimates()
    {
        var result = fixture.Engine.Evaluate(Of(Present("fever", "obs-t"), Present("cough"), Present("infiltrate-on-cxr")));

        var cap = result.Candidates.Single(c => c.ConditionId == "community-acquired-pneumonia");
        var fever = cap.Supporting.Single(x => x.FindingId == "fever");
        Assert.False(fever.IsEstimate);
        Assert.Equal("metlay-1997-rce-pneumonia", fever.ReferenceId);
    }

    [Fact]
    public void Cant_miss_conditions_above_the_floor_are_shown_even_outside_the_top_k()
    {
        var findings = Of(Present("fever", "obs-t"), Present("cough"), Present("tachycardia"), Present("pleuritic-chest-pain"));

        var shown = fixture.Engine.Evaluate(findings, new DifferentialOptions { CantMissFloor = 0.001 });
        var hidden = fixture.Engine.Evaluate(findings, new DifferentialOptions { CantMissFloor = 1 });

        var extra = shown.Candidates.Where(c => !c.InTopK).ToList();
        Assert.NotEmpty(extra);
        Assert.All(extra, c => Assert.True(c.CantMiss && c.Probability >= 0.001));
        Assert.Equal(fixture.Spec.TopK, hidden.Candidates.Count);
        Assert.DoesNotContain(shown.Candidates.Take(fixture.Spec.TopK), c => !c.InTopK);
        Assert.Equal(shown.Candidates.Take(fixture.Spec.TopK).Select(c => c.ConditionId), hidden.Candidates.Select(c => c.ConditionId));
    }

    [Fact]
    public void Every_result_names_the_model_version_and_hash_that_produced_it()
    {
        var results = fixture.Engine.EvaluateBatch([Of(Present("fever")), Of(Present("cough")), Of(Present("ddimer-elevated"))]);

        Assert.Equal(3, results.Count);
        Assert.All(results, r =>
        {
            Assert.Equal("differential-kb", r.ModelId);
            Assert.Equal(fixture.Manifest.Version, r.ModelVersion);
            Assert.Equal(fixture.Manifest.Sha256, r.ModelSha256);
        });
    }

    [Fact]
    public void A_batch_gives_the_same_answers_as_one_case_at_a_time()
    {
        var random = new Random(11);
        var cases = Enumerable.Range(0, 12).Select(_ => Random(random, fixture.Spec)).ToList();

        var batch = fixture.Engine.EvaluateBatch(cases);

        for (int r = 0; r < cases.Count; r++)
        {
            var single = fixture.Engine.Evaluate(cases[r]);
            Assert.Equal(single.Candidates.Select(c => c.ConditionId), batch[r].Candidates.Select(c => c.ConditionId));
            Assert.Equal(single.Candidates[0].Probability, batch[r].Candidates[0].Probability, 6);
        }
    }

    [Fact]
    public void A_finding_listed_twice_counts_once_as_its_first_entry_says()
    {
        var once = fixture.Engine.Evaluate(Of(Present("ddimer-elevated", "obs-1")), new DifferentialOptions { CantMissFloor = 0 });
        var twice = fixture.Engine.Evaluate(Of(Present("ddimer-elevated", "obs-1"), Absent("ddimer-elevated", "obs-2")), new DifferentialOptions { CantMissFloor = 0 });

        var a = once.Candidates.Single(c => c.ConditionId == "pulmonary-embolism");
        var b = twice.Candidates.Single(c => c.ConditionId == "pulmonary-embolism");
        Assert.Equal(a.LogOdds, b.LogOdds, 6);
        Assert.Equal(a.PriorLogOdds + Math.Log(1.8), b.LogOdds, 4);
        Assert.Single(b.Supporting, x => x.FindingId == "ddimer-elevated");
        Assert.DoesNotContain(b.Refuting, x => x.FindingId == "ddimer-elevated");
    }

    [Fact]
    public void Findings_the_knowledge_base_does_not_know_are_reported_not_silently_used()
    {
        var result = fixture.Engine.Evaluate(Of(Present("fever"), Present("made-up-finding")));

        Assert.Equal(["made-up-finding"], result.IgnoredFindings);
    }

    [Fact]
    public void Care_setting_sets_the_prior_of_every_candidate()
    {
        var findings = Of(Present("cough"));
        var all = new DifferentialOptions { CantMissFloor = 0 };

        var emergency = fixture.Engine.Evaluate(findings, all);
        var primary = fixture.Engine.Evaluate(findings, all with { Setting = CareSetting.PrimaryCare });

        Assert.Equal(CareSetting.PrimaryCare, primary.Setting);
        var peEmergency = emergency.Candidates.Single(c => c.ConditionId == "pulmonary-embolism");
        var pePrimary = primary.Candidates.Single(c => c.ConditionId == "pulmonary-embolism");
        Assert.Equal(Math.Log(4.0 / 996), peEmergency.PriorLogOdds, 5);
        Assert.Equal(Math.Log(0.2 / 999.8), pePrimary.PriorLogOdds, 5);
        Assert.True(peEmergency.Probability > pePrimary.Probability);
    }
}
