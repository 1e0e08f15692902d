using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Summary;

namespace ClinicianPortal.Tests.Reasoning.Summary;

public sealed class SummaryGroundingTests
{
    private const string Egfr = "62238-1";
    private readonly Chart _chart = new(sex: "male", age: 71);
    private readonly string _ckd;
    private readonly string[] _egfr;

    public SummaryGroundingTests()
    {
        _ckd = _chart.Condition("Chronic kidney disease stage 3", "2020-06-01", "433144002");
        _egfr =
        [
            _chart.Lab(Egfr, "eGFR", "2021-01-01", 52, "mL/min/{1.73_m2}", low: 60),
            _chart.Lab(Egfr, "eGFR", "2022-01-01", 47, "mL/min/{1.73_m2}", low: 60),
            _chart.Lab(Egfr, "eGFR", "2023-01-01", 42, "mL/min/{1.73_m2}", low: 60),
            _chart.Lab(Egfr, "eGFR", "2024-01-01", 37, "mL/min/{1.73_m2}", low: 60),
        ];
        _chart.Medication("Lisinopril 10 MG Oral Tablet", "2020-06-01");
    }

    /// <summary>Checks one sentence, as a language model might have rewritten it, against the test chart.</summary>
    private GroundingReport CheckSentence(string text, params Citation[] citations) =>
        SummaryGrounding.Check(new CaseSummary(_chart.Patient.Id, Chart.On("2024-01-01"), "test",
            [new SummarySection("problems", "Active problems", [new SummarySentence(text, citations)])]), _chart.Record());

    private Citation[] Cited => [Citation.Event(_ckd), .. _egfr.Select(Citation.Event)];

    [Fact]
    public void The_generated_summary_is_grounded()
    {
        var record = _chart.Record();
        var report = SummaryGrounding.Check(SummaryGenerator.Generate(record), record);
        Assert.True(report.IsGrounded, string.Join("\n", report.Issues));
    }

    [Fact]
    public void Values_dates_codes_differences_spans_and_rates_of_cited_entries_are_accepted_in_other_words()
    {
        var report = CheckSentence(
            "Stage 3 CKD since 2020-06-01; eGFR fell from 52.0 to 37 mL/min/1.73 m² (a drop of 15) over about 3 years, roughly 5 per year, last checked in 2024.",
            Cited);
        Assert.True(report.IsGrounded, string.Join("\n", report.Issues));
    }

    [Fact]
    public void An_invented_value_is_rejected()
    {
        var report = CheckSentence("eGFR fell from 52 to 36 mL/min/1.73 m².", Cited);
        Assert.Equal("the number 36 is not supported by the cited entries", Assert.Single(report.Issues).Reason);
    }

    [Fact]
    public void A_value_from_an_entry_that_is_not_cited_is_rejected()
    {
        var report = CheckSentence("eGFR fell from 52 to 37 mL/min/1.73 m².", Citation.Event(_ckd), Citation.Event(_egfr[0]));
        Assert.Equal("the number 37 is not supported by the cited entries", Assert.Single(report.Issues).Reason);
    }

    [Fact]
    public void Spans_and_rates_count_only_where_the_words_make_them_spans_and_rates()
    {
        Assert.False(CheckSentence("eGFR is falling 9 per year.", Cited).IsGrounded);
        Assert.False(CheckSentence("eGFR fell over 7 years.", Cited).IsGrounded);
        Assert.False(CheckSentence("eGFR fell over 7 months.", [.. _egfr.Select(Citation.Event)]).IsGrounded);
        Assert.True(CheckSentence("Kidney disease for 7 months before the first eGFR.", Citation.Event(_ckd), Citation.Event(_egfr[0])).IsGrounded);
        Assert.True(CheckSentence("eGFR is falling 5 per year.", Cited).IsGrounded);
    }

    [Fact]
    public void Rounding_is_tolerated_only_to_the_written_precision()
    {
        Assert.True(CheckSentence("eGFR is falling 5.0 per year.", Cited).IsGrounded);
        Assert.False(CheckSentence("eGFR is falling 5.3 per year.", Cited).IsGrounded);
    }

    [Fact]
    public void A_date_that_is_not_a_cited_entry_date_is_rejected()
    {
        var report = CheckSentence("eGFR 37 mL/min/1.73 m² on 2024-01-02.", Citation.Event(_egfr[3]));
        Assert.Equal("the date 2024-01-02 is not a date of a cited entry", Assert.Single(report.Issues).Reason);
    }

    [Fact]
    public void A_sentence_without_citation_is_rejected()
    {
        var report = CheckSentence("Kidney function is declining.");
        Assert.Equal("the sentence cites no chart entry", Assert.Single(report.Issues).Reason);
    }

    [Fact]
    public void A_citation_to_an_id_not_in_the_record_is_rejected()
    {
        var report = CheckSentence("Kidney function is declining.", Citation.Event(_ckd), Citation.Event("e999"));
        Assert.Equal("cites entry 'e999', which is not in the record", Assert.Single(report.Issues).Reason);
    }

    [Fact]
    public void A_citation_dated_after_the_summary_is_rejected()
    {
        var later = _chart.Lab(Egfr, "eGFR", "2024-06-01", 33, "mL/min/{1.73_m2}", low: 60);
        var report = CheckSentence("Kidney function is declining.", Citation.Event(_ckd), Citation.Event(later));
        Assert.Contains(report.Issues, i => i.Reason == $"cites entry '{later}', which is dated after the summary");
    }

    [Fact]
    public void Numbers_inside_names_need_no_citation_but_standalone_ones_do()
    {
        Assert.True(CheckSentence("HbA1c and SpO2 are not recorded for this kidney disease.", Citation.Event(_ckd)).IsGrounded);
        Assert.False(CheckSentence("CKD stage 4.", Citation.Event(_ckd)).IsGrounded);
    }

    [Fact]
    public void The_age_comes_from_the_cited_patient_and_over_89_only_as_90_plus()
    {
        Assert.True(CheckSentence("71-year-old male with CKD stage 3.", Citation.Patient(_chart.Patient.Id), Citation.Event(_ckd)).IsGrounded);
        Assert.False(CheckSentence("71-year-old male with CKD stage 3.", Citation.Event(_ckd)).IsGrounded);
        Assert.Contains(CheckSentence("Male with CKD.", Citation.Patient("someone-else")).Issues,
            i => i.Reason == "cites patient 'someone-else', who is not this record's patient");

        var old = new Chart(sex: "male", birthDate: null, age: 90, over89: true);
        var condition = old.Condition("Atrial fibrillation", "2020-01-01", "49436004");
        var record = old.Record();
        CaseSummary Say(string text) => new(old.Patient.Id, Chart.On("2024-01-01"), "test",
            [new SummarySection("one-liner", "Summary", [new SummarySentence(text, [Citation.Patient(old.Patient.Id), Citation.Event(condition)])])]);
        Assert.True(SummaryGrounding.Check(Say("90+ year-old male with atrial fibrillation."), record).IsGrounded);
        Assert.False(SummaryGrounding.Check(Say("93-year-old male with atrial fibrillation."), record).IsGrounded);
    }

    [Fact]
    public void Knowledge_base_references_are_checked_against_the_knowledge_base()
    {
        var knowledge = KnowledgeBase.LoadEmbedded();
        var known = knowledge.References[0];
        var summary = new CaseSummary(_chart.Patient.Id, Chart.On("2024-01-01"), "test",
        [
            new SummarySection("open-questions", "Open questions",
            [
                new SummarySentence("Kidney function is declining.", [Citation.Event(_ckd), Citation.Reference(known.Id)]),
                new SummarySentence("Kidney function is declining.", [Citation.Event(_ckd), Citation.Reference("no-such-reference")]),
                new SummarySentence("A guideline applies.", [Citation.Reference(known.Id)]),
            ]),
        ]);

        var report = SummaryGrounding.Check(summary, _chart.Record(), knowledge);

        Assert.Equal(
            [(1, "cites reference 'no-such-reference', which is not in the knowledge base"), (2, "the sentence cites no chart entry")],
            report.Issues.Select(i => (i.Sentence, i.Reason)));
        Assert.Contains(SummaryGrounding.Check(summary, _chart.Record()).Issues,
            i => i.Sentence == 0 && i.Reason.Contains("cannot be verified without the knowledge base", StringComparison.Ordinal));
    }

    [Fact]
    public void A_summary_of_another_patient_is_rejected()
    {
        var record = _chart.Record();
        var summary = SummaryGenerator.Generate(record) with { PatientId = "patient-2" };
        Assert.Contains(SummaryGrounding.Check(summary, record).Issues, i => i.Sentence == -1);
    }
}
