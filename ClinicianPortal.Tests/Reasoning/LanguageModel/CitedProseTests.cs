using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.LanguageModel;
using ClinicianPortal.Shared.Reasoning.Summary;
using ClinicianPortal.Tests.Reasoning.Orchestration;

namespace ClinicianPortal.Tests.Reasoning.LanguageModel;

/// <summary>Reading a language model's prose with [id] markers into sentences and citations that the grounding check verifies.</summary>
public sealed class CitedProseTests
{
    private static readonly KnowledgeBase Knowledge = KnowledgeBase.LoadEmbedded();

    [Fact]
    public void Sentences_end_at_a_full_stop_before_white_space_never_inside_a_decimal_and_markers_after_the_stop_belong_to_the_sentence_before()
    {
        var sentences = CitedProse.Sentences("D-dimer was 2.4 ug/mL [obs-dd]. Heart rate 118/min. [obs-hr] [enc-ed]\nSpO2 89 % [obs-spo2]! Why? [note-ed]");

        Assert.Equal(["D-dimer was 2.4 ug/mL [obs-dd].", "Heart rate 118/min. [obs-hr] [enc-ed]", "SpO2 89 % [obs-spo2]!", "Why? [note-ed]"], sentences);
    }

    [Fact]
    public void List_bullets_and_emphasis_are_dropped_and_a_line_break_ends_a_sentence()
    {
        Assert.Equal(["Tachycardic [obs-hr]", "Hypoxic [obs-spo2]."], CitedProse.Sentences("- **Tachycardic** [obs-hr]\n2. Hypoxic [obs-spo2]."));
    }

    [Fact]
    public void Markers_resolve_to_the_patient_events_and_knowledge_base_references_and_an_unknown_id_stays_an_event_the_check_cannot_find()
    {
        var record = Charts.SuspectedEmbolism();
        var reference = Knowledge.References.First().Id;

        var summary = CitedProse.ToSummary($"A 65-year-old female [PT-TEST]. Heart rate 118/min [obs-hr; enc-ed, {reference}]. Chest pain noted [EV-INVENTED].",
            record, Charts.Now, Knowledge, "language-model:test");

        var section = Assert.Single(summary.Sections);
        Assert.Equal(CitedProse.SectionKey, section.Key);
        Assert.Equal("language-model:test", summary.GeneratorVersion);
        Assert.Equal(["A 65-year-old female.", "Heart rate 118/min.", "Chest pain noted."], section.Sentences.Select(s => s.Text));
        Assert.Equal([Citation.Patient("PT-TEST")], section.Sentences[0].Citations);
        Assert.Equal([Citation.Event("obs-hr"), Citation.Event("enc-ed"), Citation.Reference(reference)], section.Sentences[1].Citations);
        Assert.Equal([Citation.Event("EV-INVENTED")], section.Sentences[2].Citations);
        var issue = Assert.Single(SummaryGrounding.Check(summary, record, Knowledge).Issues);
        Assert.Equal((2, "cites entry 'EV-INVENTED', which is not in the record"), (issue.Sentence, issue.Reason));
    }
}
