using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Evaluation;
using ClinicianPortal.Shared.Reasoning.Findings;

namespace ClinicianPortal.Tests.Reasoning.Evaluation;

/// <summary>Gold labels reach a condition only through the KB's names and synonyms; the rest are counted and scored as misses.</summary>
public sealed class GoldLabelMatchingTests(DdxPlusFixture ddx) : IClassFixture<DdxPlusFixture>
{
    private static EvaluationCase Case(string id, string gold, FindingSet findings) => new(id, gold, findings);

    [Fact]
    public void A_gold_label_matches_by_name_or_synonym_and_an_unknown_label_is_counted_and_scored_as_a_miss()
    {
        var patient = ddx.HeldOut.First(p => p.Pathology == "Spontaneous pneumothorax");
        var findings = DdxPlusKnowledge.FindingsOf(patient, ddx.Knowledge);
        EvaluationCase[] cases =
        [
            Case("by-name", "Spontaneous pneumothorax", findings),
            Case("normalised", "spontaneous  Pneumothorax", findings),          // case and spacing
            // The same patient under a label the KB does not hold: even an engine that ranks the right
            // condition first must not get credit, because nothing maps this label to it.
            Case("not-a-name", "Collapsed lung (spontaneous)", findings),
            Case("not-a-name-2", "Collapsed lung (spontaneous)", findings),
        ];

        var score = Evaluator.Score("matching", ddx.Engine, ddx.Knowledge, cases, CareSetting.Emergency);

        Assert.Equal(["spontaneous-pneumothorax", "spontaneous-pneumothorax", null, null], score.Cases.Select(c => c.GoldConditionId));
        Assert.Equal(new Dictionary<string, int> { ["Collapsed lung (spontaneous)"] = 2 }, score.UnmatchedGoldLabels);
        Assert.Equal("spontaneous-pneumothorax", score.Cases[2].Ranking[0].ConditionId);
        Assert.False(RankingMetrics.InTopK(score.Cases[2], 10));
        Assert.Equal(50.0, RankingMetrics.TopKAccuracy(score.Cases, 1));
    }

    [Fact]
    public void A_synonym_kept_in_the_KB_matches_and_without_it_the_label_is_unmatched()
    {
        var shipped = KnowledgeBase.LoadEmbedded();
        var empty = new FindingSet("p", DateTimeOffset.UnixEpoch, []);
        // A condition whose synonym no other name or synonym (nor the bare-name fallback) would catch.
        var (condition, synonym, stripped) = shipped.Conditions.Where(c => c.Synonyms.Count > 0)
            .Select(c => (c, c.Synonyms[0], new KnowledgeBase(shipped.Conditions.Select(x => x.Id == c.Id ? x with { Synonyms = [] } : x), shipped.Findings, shipped.Tests, shipped.References)))
            .First(t => t.Item3.FindByName(t.Item2) is null);

        var with = Evaluator.PriorOnly("synonym", shipped, [Case("s", synonym, empty)], CareSetting.Emergency);
        var without = Evaluator.PriorOnly("synonym", stripped, [Case("s", synonym, empty)], CareSetting.Emergency);

        Assert.Equal(condition.Id, with.Cases[0].GoldConditionId);
        Assert.Equal(0, with.Unmatched);
        Assert.Null(without.Cases[0].GoldConditionId);
        Assert.Equal(1, without.Unmatched);
    }

    [Fact]
    public void The_dataset_differential_is_mapped_by_name_too()
    {
        var patient = ddx.HeldOut[0];
        var cases = ddx.Cases([patient]);

        var score = Evaluator.PriorOnly("differential", ddx.Knowledge, cases, CareSetting.Emergency);

        Assert.Equal(patient.Differential.Count, score.Cases[0].GoldDifferential!.Count);
        Assert.All(score.Cases[0].GoldDifferential!, d => Assert.NotNull(ddx.Knowledge.Condition(d.ConditionId)));
    }
}
