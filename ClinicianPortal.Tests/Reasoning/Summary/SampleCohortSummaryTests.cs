using System.Text.Json;
using ClinicianPortal.Shared.Reasoning.Summary;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Tests.Reasoning.Summary;

/// <summary>The summary on the shipped sample cohort, imported through the real importer.</summary>
public sealed class SampleCohortSummaryTests
{
    private static SummarySentence Problem(CaseSummary summary, string startsWith) =>
        summary.Sections.Single(s => s.Key == "problems").Sentences.Single(s => s.Text.StartsWith(startsWith, StringComparison.Ordinal));

    private static List<ClinicalEvent> Cited(SummarySentence sentence, PatientRecord record) =>
        sentence.Citations.Where(c => c.Kind == CitationKind.Event).Select(c => record.Events.Single(e => e.Id == c.Id)).ToList();

    private static List<ClinicalEvent> Results(PatientRecord record, DateTimeOffset asOf, params string[] loinc) =>
        record.Events.Where(e => e.Kind == EventKind.Observation && e.Value is not null && loinc.Contains(e.CodeIn(Coding.Loinc)) && e.Start <= asOf).ToList();

    [Fact]
    public async Task Every_sample_summary_passes_the_grounding_check()
    {
        var failures = new List<string>();
        foreach (var patient in await SampleCohort.AllAsync())
        {
            var summary = SummaryGenerator.Generate(patient.Record);
            Assert.NotEmpty(summary.Sections.SelectMany(s => s.Sentences));
            failures.AddRange(SummaryGrounding.Check(summary, patient.Record).Issues.Select(i => $"{patient.File}: {i}"));
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Every_sample_summary_is_the_same_when_generated_again()
    {
        foreach (var patient in await SampleCohort.AllAsync())
        {
            Assert.Equal(JsonSerializer.Serialize(SummaryGenerator.Generate(patient.Record)), JsonSerializer.Serialize(SummaryGenerator.Generate(patient.Record)));
        }
    }

    [Fact]
    public async Task The_kidney_patient_summary_states_the_falling_eGFR_citing_the_eGFR_results()
    {
        var patient = await SampleCohort.FirstAsync("chronic-kidney-disease");
        var summary = SummaryGenerator.Generate(patient.Record);

        var sentence = Problem(summary, "Chronic kidney disease");
        var egfr = Results(patient.Record, summary.AsOf, "62238-1", "33914-3").Where(e => e.Start >= summary.AsOf.AddYears(-10)).OrderBy(e => e.Start).ToList();
        Assert.True(egfr.Count >= 3);
        Assert.Contains($"eGFR {SummaryText.Number(egfr[0].Value!.Value)} → {SummaryText.Number(egfr[^1].Value!.Value)} mL/min/1.73 m²", sentence.Text);
        Assert.Contains("falling", sentence.Text);
        Assert.Subset(Cited(sentence, patient.Record).Select(e => e.Id).ToHashSet(), egfr.Select(e => e.Id).ToHashSet());
    }

    [Fact]
    public async Task The_diabetic_summary_states_the_rising_HbA1c_citing_the_HbA1c_results()
    {
        var patient = await SampleCohort.FirstAsync("type2-diabetes");
        var summary = SummaryGenerator.Generate(patient.Record);

        var sentence = Problem(summary, "Diabetes mellitus type 2");
        var a1c = Results(patient.Record, summary.AsOf, "4548-4").Where(e => e.Start >= summary.AsOf.AddYears(-10)).OrderBy(e => e.Start).ToList();
        Assert.Contains($"HbA1c {SummaryText.Number(a1c[0].Value!.Value)} → {SummaryText.Number(a1c[^1].Value!.Value)} %", sentence.Text);
        Assert.Contains("rising", sentence.Text);
        Assert.Subset(Cited(sentence, patient.Record).Select(e => e.Id).ToHashSet(), a1c.Select(e => e.Id).ToHashSet());
    }

    [Fact]
    public async Task Heart_failure_summaries_state_LVEF_and_natriuretic_peptide_citing_those_results()
    {
        var patients = (await SampleCohort.AllAsync()).Where(p => p.Scenario == "heart-failure").ToList();
        Assert.NotEmpty(patients);
        foreach (var patient in patients)
        {
            var sentence = Problem(SummaryGenerator.Generate(patient.Record), "Chronic congestive heart failure");
            var cited = Cited(sentence, patient.Record).Select(e => e.CodeIn(Coding.Loinc)).ToHashSet();
            Assert.Contains("LVEF", sentence.Text);
            Assert.Contains("10230-1", cited);
            Assert.True(sentence.Text.Contains("BNP ", StringComparison.Ordinal) || sentence.Text.Contains("NT-proBNP", StringComparison.Ordinal), sentence.Text);
            Assert.True(cited.Contains("30934-4") || cited.Contains("33762-6"), patient.File);
        }
    }

    [Fact]
    public async Task Atrial_fibrillation_summaries_list_the_anticoagulant_and_raise_no_anticoagulation_question()
    {
        var patients = (await SampleCohort.AllAsync()).Where(p => p.Scenario == "atrial-fibrillation").ToList();
        Assert.NotEmpty(patients);
        foreach (var patient in patients)
        {
            var summary = SummaryGenerator.Generate(patient.Record);
            var medications = summary.Sections.Single(s => s.Key == "medications").Sentences;
            var anticoagulant = Assert.Single(medications, s => MedicationClasses.Anticoagulants.Any(a => s.Text.Contains(a, StringComparison.OrdinalIgnoreCase)));
            Assert.All(Cited(anticoagulant, patient.Record), e => Assert.Equal(EventKind.Medication, e.Kind));
            Assert.DoesNotContain(summary.Sections.SelectMany(s => s.Sentences), s => s.Text.Contains("without an active anticoagulant", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Acute_summaries_open_with_the_presentation_and_the_chief_complaint_of_its_note()
    {
        var patients = (await SampleCohort.AllAsync()).Where(p => p.Acute).ToList();
        Assert.NotEmpty(patients);
        foreach (var patient in patients)
        {
            var oneLiner = SummaryGenerator.Generate(patient.Record).Sections[0].Sentences.Single();
            var cited = Cited(oneLiner, patient.Record);
            var encounter = Assert.Single(cited, e => e.Kind == EventKind.Encounter);
            var note = Assert.Single(cited, e => e.Kind == EventKind.Note);
            Assert.Equal(encounter.Id, note.EncounterId);
            var complaint = note.Text!.Split('\n').Single(l => l.StartsWith("Chief complaint: ", StringComparison.Ordinal))["Chief complaint: ".Length..].TrimEnd('.');
            Assert.EndsWith($"presenting to the emergency department on {SummaryText.Date(encounter.Start!.Value)} with {complaint}.", oneLiner.Text);
        }
        var chestPain = SummaryGenerator.Generate((await SampleCohort.FirstAsync("acute-coronary-syndrome")).Record).Sections[0].Sentences[0];
        Assert.EndsWith("with chest pain.", chestPain.Text);
    }

    [Fact]
    public async Task A_sample_patient_over_89_is_described_as_90_plus()
    {
        var patient = (await SampleCohort.AllAsync()).First(p => p.Record.Patient.IsOver89);
        Assert.StartsWith("90+ year-old", SummaryGenerator.Generate(patient.Record).Sections[0].Sentences[0].Text);
    }
}
