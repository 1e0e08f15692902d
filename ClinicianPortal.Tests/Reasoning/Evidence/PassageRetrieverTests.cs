using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Evidence;
using ClinicianPortal.Shared.Records;
using ClinicianPortal.Tests.Reasoning.Findings;
using ClinicianPortal.Tests.Reasoning.Orchestration;

namespace ClinicianPortal.Tests.Reasoning.Evidence;

/// <summary>The BM25 retriever over the shipped knowledge base's reference passages and a patient's notes.</summary>
public class PassageRetrieverTests
{
    private static readonly Lazy<KnowledgeBase> Kb = new(KnowledgeBase.LoadEmbedded);
    private static PassageRetriever Retriever => new(Kb.Value);

    private static PatientRecord WithNotes(params (string Id, string Text, double HoursAgo)[] notes) =>
        PatientRecord.Build(Charts.Patient(), [
            Charts.Encounter("enc-ed", "EMER", Charts.Now.AddHours(-3)),
            .. notes.Select(n => Charts.Note(n.Id, n.Text, Charts.Now.AddHours(-n.HoursAgo), "enc-ed"))]);

    [Theory]
    [InlineData("acute-myocardial-infarction")]
    [InlineData("pulmonary-embolism")]
    [InlineData("community-acquired-pneumonia")]
    [InlineData("sepsis")]
    [InlineData("acute-kidney-injury")]
    [InlineData("upper-gi-bleeding")]
    [InlineData("acute-heart-failure")]
    [InlineData("copd-exacerbation")]
    [InlineData("diabetes-mellitus")]
    [InlineData("chronic-kidney-disease")]
    [InlineData("essential-hypertension")]
    [InlineData("atrial-fibrillation")]
    public void Each_sample_scenario_condition_has_paraphrased_reference_passages_of_its_own_references(string conditionId)
    {
        var condition = Kb.Value.Condition(conditionId)!;
        var passages = Retriever.Retrieve(conditionId, WithNotes());

        Assert.NotEmpty(passages);
        Assert.All(passages, p =>
        {
            Assert.Equal(PassageSource.Reference, p.Source);
            Assert.True(p.Paraphrase);
            Assert.Contains(p.SourceId, condition.References);
            Assert.Contains(Kb.Value.Reference(p.SourceId)!.Passages, rp => rp.Condition == conditionId && rp.Text == p.Text);
        });
    }

    [Fact]
    public void Affirmed_note_sentences_support_the_condition_and_cite_their_note()
    {
        var record = WithNotes(("note-ed", "Sudden pleuritic chest pain and breathlessness since this morning. Right calf swollen and tender. Returned from a long-haul flight.", 1));

        var chart = Retriever.Retrieve("pulmonary-embolism", record).Where(p => p.Source == PassageSource.Chart).ToList();

        Assert.NotEmpty(chart);
        Assert.All(chart, p => Assert.Equal("note-ed", p.SourceId));
        Assert.Contains(chart, p => p.Text.Contains("pleuritic chest pain", StringComparison.Ordinal));
        Assert.All(chart, p => Assert.False(p.Paraphrase));
    }

    [Fact]
    public void Denied_and_merely_considered_diagnoses_are_not_supporting_passages()
    {
        var record = WithNotes(("note-ed",
            "Denies fever, productive cough or haemoptysis.\nDifferential diagnosis: pneumonia versus pulmonary embolism.\nRule out pneumonia with a chest X-ray.", 1));

        var chart = Retriever.Retrieve("community-acquired-pneumonia", record).Where(p => p.Source == PassageSource.Chart).ToList();

        Assert.Empty(chart);
    }

    [Fact]
    public void Sentences_that_match_better_rank_higher_and_scores_are_positive()
    {
        var record = WithNotes(
            ("note-a", "Productive cough with fever and rigors, crackles at the right base, chest X-ray shows consolidation.", 1),
            ("note-b", "Mild cough.", 2));

        var chart = Retriever.Retrieve("community-acquired-pneumonia", record).Where(p => p.Source == PassageSource.Chart).ToList();

        Assert.Equal(["note-a", "note-b"], chart.Select(p => p.SourceId));
        Assert.True(chart[0].Score > chart[1].Score && chart[1].Score > 0);
    }

    [Fact]
    public void Notes_written_after_the_review_moment_are_not_read()
    {
        var record = WithNotes(("note-later", "Productive cough and fever.", 1));

        var passages = Retriever.Retrieve("community-acquired-pneumonia", record, asOf: Charts.Now.AddHours(-2));

        Assert.DoesNotContain(passages, p => p.Source == PassageSource.Chart);
    }

    [Fact]
    public void A_sentence_repeated_in_templated_notes_is_returned_once_from_the_newest_note()
    {
        var record = WithNotes(("note-old", "Productive cough and fever.", 30), ("note-new", "Productive cough and fever.", 1));

        var chart = Retriever.Retrieve("community-acquired-pneumonia", record).Where(p => p.Source == PassageSource.Chart).ToList();

        Assert.Equal("note-new", Assert.Single(chart).SourceId);
    }

    [Fact]
    public async Task The_same_record_gives_the_same_passages()
    {
        var record = await SampleCohort.RecordAsync(SampleCohort.FilesOf("pulmonary-embolism")[0]);

        var first = Retriever.Retrieve("pulmonary-embolism", record);
        var second = new PassageRetriever(Kb.Value).Retrieve("pulmonary-embolism", record);

        Assert.Equal(first, second);
        Assert.Contains(first, p => p.Source == PassageSource.Chart);
        var notes = record.Events.Where(e => e.Kind == EventKind.Note).Select(e => e.Id).ToHashSet();
        Assert.All(first.Where(p => p.Source == PassageSource.Chart), p => Assert.Contains(p.SourceId, notes));
    }

    [Fact]
    public void One_retriever_reads_each_record_and_moment_afresh()
    {
        var retriever = Retriever;
        var first = WithNotes(("note-a", "Productive cough and fever.", 1));
        var second = WithNotes(("note-b", "Fever with rigors and a productive cough.", 1));

        Assert.Equal("note-a", Assert.Single(retriever.Retrieve("community-acquired-pneumonia", first), p => p.Source == PassageSource.Chart).SourceId);
        Assert.Equal("note-b", Assert.Single(retriever.Retrieve("community-acquired-pneumonia", second), p => p.Source == PassageSource.Chart).SourceId);
        Assert.DoesNotContain(retriever.Retrieve("community-acquired-pneumonia", second, asOf: Charts.Now.AddHours(-2)), p => p.Source == PassageSource.Chart);
    }

    [Fact]
    public void An_unknown_condition_is_an_argument_error_that_names_it()
    {
        var e = Assert.Throws<ArgumentException>(() => Retriever.Retrieve("no-such-condition", WithNotes()));
        Assert.Contains("no-such-condition", e.Message, StringComparison.Ordinal);
    }
}
