using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Findings;

namespace ClinicianPortal.Tests.Reasoning.Findings;

/// <summary>
/// The shipped knowledge base's detection rules on charts that used to fool them: a drug or a phrase that says
/// something else than the finding it triggered.
/// </summary>
public sealed class ShippedKnowledgeDetectionTests
{
    private static readonly Lazy<KnowledgeBase> Kb = new(KnowledgeBase.LoadEmbedded);
    private static readonly Lazy<FindingExtractor> Extractor = new(() => new FindingExtractor(Kb.Value));

    private static FindingSet Extract(ChartBuilder chart) => Extractor.Value.Extract(chart.Build(), ChartBuilder.Now);

    [Fact]
    public void Insulin_in_type_2_diabetes_is_not_type_1_diabetes_but_is_insulin_therapy()
    {
        var chart = new ChartBuilder();
        chart.Condition("http://snomed.info/sct", "44054006", hoursAgo: 24 * 900);
        chart.Medication("5856", "insulin glargine 100 UNT/ML Injectable Solution", hoursAgo: 24 * 200);

        var findings = Extract(chart);

        Assert.NotEqual(FindingState.Present, findings.StateOf("type1-diabetes"));
        Assert.Equal(FindingState.Present, findings.StateOf("insulin-or-sulfonylurea"));
    }

    [Fact]
    public void Metformin_is_its_own_finding_not_malabsorption()
    {
        var chart = new ChartBuilder();
        chart.Medication("6809", "24 HR metformin hydrochloride 1000 MG Extended Release Oral Tablet", hoursAgo: 24 * 300);

        var findings = Extract(chart);

        Assert.NotEqual(FindingState.Present, findings.StateOf("vegan-or-malabsorption"));
        Assert.Equal(FindingState.Present, findings.StateOf("metformin-long-term"));
        Assert.Contains(Kb.Value.Condition("b12-deficiency-anaemia")!.Findings, f => f.Finding == "metformin-long-term" && f.IsEstimate);
    }

    [Fact]
    public void Vancomycin_is_a_nephrotoxic_exposure_not_a_loop_diuretic()
    {
        var chart = new ChartBuilder();
        chart.Medication(null, "vancomycin 1000 MG Injection", hoursAgo: 2);

        var findings = Extract(chart);

        Assert.NotEqual(FindingState.Present, findings.StateOf("loop-diuretic-or-lithium"));
        Assert.Equal(FindingState.Present, findings.StateOf("nephrotoxic-exposure"));
    }

    [Fact]
    public void Furosemide_is_a_loop_diuretic()
    {
        var chart = new ChartBuilder();
        chart.Medication("4603", "furosemide 40 MG Oral Tablet", hoursAgo: 24 * 30);

        Assert.Equal(FindingState.Present, Extract(chart).StateOf("loop-diuretic-or-lithium"));
    }

    [Theory]
    [InlineData("Chest X-ray: left lower lobe consolidation with a small left pleural effusion.")]
    [InlineData("Chest X-ray with interstitial oedema and bilateral effusions.")]
    public void A_pleural_effusion_is_not_a_joint_effusion(string note)
    {
        var chart = new ChartBuilder();
        chart.Note(note, hoursAgo: 1);

        Assert.NotEqual(FindingState.Present, Extract(chart).StateOf("warm-joint-effusion"));
    }

    [Theory]
    [InlineData("Right knee: warm joint with a large effusion.", FindingState.Present)]
    [InlineData("Right knee swollen with a joint effusion.", FindingState.Present)]
    [InlineData("No joint effusion.", FindingState.Absent)]
    public void A_joint_effusion_is_read_with_its_negation(string note, FindingState expected)
    {
        var chart = new ChartBuilder();
        chart.Note(note, hoursAgo: 1);

        Assert.Equal(expected, Extract(chart).StateOf("warm-joint-effusion"));
    }

    [Theory]
    [InlineData("No effusion.")]
    [InlineData("No pleural effusion.")]
    [InlineData("No pulmonary infarct or effusion.")]
    public void An_effusion_after_no_is_negated(string sentence) =>
        Assert.Equal(MentionContext.Negated, PhraseMatcher.Classify(sentence, "effusion"));

    [Theory]
    [InlineData("Right calf swollen and tender, 3 cm larger than the left.")]
    [InlineData("Tender swollen calf on the left.")]
    public void A_swollen_or_tender_calf_is_a_sign_of_DVT(string note)
    {
        var chart = new ChartBuilder();
        chart.Note(note, hoursAgo: 1);

        Assert.Equal(FindingState.Present, Extract(chart).StateOf("unilateral-leg-swelling"));
    }

    [Fact]
    public void Pulmonary_embolism_weighs_tachypnoea_troponin_and_natriuretic_peptides_as_flagged_estimates()
    {
        var pe = Kb.Value.Condition("pulmonary-embolism")!;

        foreach (var id in new[] { "tachypnoea", "troponin-elevated", "bnp-elevated", "unilateral-leg-swelling" })
        {
            var weight = Assert.Single(pe.Findings, f => f.Finding == id);
            Assert.True(weight.PositiveLikelihoodRatio > 1 && weight.NegativeLikelihoodRatio < 1, id);
            Assert.True(weight.IsEstimate || weight.Reference is not null, id);
        }
    }

    [Theory]
    [InlineData("Acute non-ST segment elevation myocardial infarction", "acute-myocardial-infarction")]
    [InlineData("Upper gastrointestinal hemorrhage", "upper-gi-bleeding")]
    public void Sample_working_diagnoses_match_their_condition_by_name(string name, string conditionId) =>
        Assert.Equal(conditionId, Kb.Value.FindByName(name)?.Id);
}
