using System.Text.Json;
using ClinicianPortal.Shared.Reasoning.Summary;

namespace ClinicianPortal.Tests.Reasoning.Summary;

public sealed class SummaryGeneratorTests
{
    private const string Egfr = "62238-1";

    private static SummarySection Section(CaseSummary summary, string key) => summary.Sections.Single(s => s.Key == key);

    private static SummarySentence SentenceAbout(CaseSummary summary, string key, string startsWith) =>
        Section(summary, key).Sentences.Single(s => s.Text.StartsWith(startsWith, StringComparison.Ordinal));

    private static IReadOnlyList<string> EventIds(SummarySentence sentence) =>
        sentence.Citations.Where(c => c.Kind == CitationKind.Event).Select(c => c.Id).ToList();

    private static string Text(CaseSummary summary) => string.Join("\n", summary.Sections.SelectMany(s => s.Sentences).Select(s => s.Text));

    [Fact]
    public void Kidney_disease_states_the_falling_eGFR_with_its_rate_and_cites_every_eGFR_result()
    {
        var chart = new Chart();
        var ckd = chart.Condition("Chronic kidney disease stage 3", "2020-06-01", "433144002");
        string[] egfr =
        [
            chart.Lab(Egfr, "eGFR", "2021-01-01", 52, "mL/min/{1.73_m2}", low: 60),
            chart.Lab(Egfr, "eGFR", "2022-01-01", 47, "mL/min/{1.73_m2}", low: 60),
            chart.Lab(Egfr, "eGFR", "2023-01-01", 42, "mL/min/{1.73_m2}", low: 60),
            chart.Lab(Egfr, "eGFR", "2024-01-01", 37, "mL/min/{1.73_m2}", low: 60),
        ];

        var summary = SummaryGenerator.Generate(chart.Record());

        var sentence = SentenceAbout(summary, "problems", "Chronic kidney disease stage 3");
        Assert.Equal("Chronic kidney disease stage 3, since 2020-06-01: eGFR 52 → 37 mL/min/1.73 m² over 3 years, falling 5 per year (latest low).", sentence.Text);
        Assert.Equal([ckd, .. egfr], EventIds(sentence));
    }

    [Fact]
    public void Diabetes_states_a_rising_HbA1c_and_a_small_change_reads_as_stable()
    {
        var rising = new Chart();
        rising.Condition("Diabetes mellitus type 2", "2019-01-01", "44054006");
        rising.Lab("4548-4", "Hemoglobin A1c", "2021-03-01", 7.1, "%", high: 5.6);
        rising.Lab("4548-4", "Hemoglobin A1c", "2022-03-01", 7.6, "%", high: 5.6);
        rising.Lab("4548-4", "Hemoglobin A1c", "2023-03-01", 8.4, "%", high: 5.6);
        rising.Medication("metformin", "2019-01-01");

        var stable = new Chart();
        stable.Condition("Diabetes mellitus type 2", "2019-01-01", "44054006");
        stable.Lab("4548-4", "Hemoglobin A1c", "2021-03-01", 7.1, "%", high: 5.6);
        stable.Lab("4548-4", "Hemoglobin A1c", "2023-03-01", 7.3, "%", high: 5.6);
        stable.Medication("metformin", "2019-01-01");

        Assert.Contains("HbA1c 7.1 → 8.4 % over 2 years, rising 0.65 per year (latest high)", SentenceAbout(SummaryGenerator.Generate(rising.Record()), "problems", "Diabetes").Text);
        Assert.Contains("HbA1c 7.1 → 7.3 % over 2 years, stable", SentenceAbout(SummaryGenerator.Generate(stable.Record()), "problems", "Diabetes").Text);
    }

    [Fact]
    public void Heart_failure_shows_LVEF_from_echo_and_asks_about_a_missing_beta_blocker_only_when_there_is_none()
    {
        var chart = new Chart();
        var hf = chart.Condition("Chronic congestive heart failure", "2020-01-01", "88805009");
        var lvef = chart.Imaging("10230-1", "Left ventricular Ejection fraction", "2023-05-01", 35, "%");
        chart.Medication("furosemide", "2020-01-01");

        var summary = SummaryGenerator.Generate(chart.Record());

        var problem = SentenceAbout(summary, "problems", "Chronic congestive heart failure");
        Assert.Contains("LVEF 35 % on 2023-05-01", problem.Text);
        Assert.Contains(lvef, EventIds(problem));
        var question = Assert.Single(Section(summary, "open-questions").Sentences, s => s.Text.Contains("beta-blocker", StringComparison.Ordinal));
        Assert.Equal([hf, lvef], EventIds(question));

        chart.Medication("carvedilol", "2023-05-02");
        Assert.DoesNotContain("beta-blocker", Text(SummaryGenerator.Generate(chart.Record())));
    }

    [Fact]
    public void Atrial_fibrillation_without_anticoagulant_is_an_open_question_and_with_one_is_not()
    {
        var chart = new Chart();
        var af = chart.Condition("Atrial fibrillation", "2021-01-01", "49436004");
        chart.Medication("metoprolol", "2021-01-01");

        var without = SummaryGenerator.Generate(chart.Record());
        var question = Assert.Single(Section(without, "open-questions").Sentences);
        Assert.Equal("Atrial fibrillation without an active anticoagulant: is this a deliberate decision?", question.Text);
        Assert.Equal([af], EventIds(question));

        var apixaban = chart.Medication("apixaban", "2021-02-01");
        var with = SummaryGenerator.Generate(chart.Record());
        Assert.DoesNotContain(with.Sections, s => s.Key == "open-questions");
        Assert.Equal([apixaban], EventIds(SentenceAbout(with, "medications", "apixaban")));
    }

    [Fact]
    public void A_held_anticoagulant_asks_about_restarting_it()
    {
        var chart = new Chart();
        var af = chart.Condition("Atrial fibrillation", "2021-01-01", "49436004");
        var apixaban = chart.Medication("apixaban", "2021-01-01", status: "on-hold");

        var summary = SummaryGenerator.Generate(chart.Record());

        Assert.Equal("apixaban is on hold (ordered 2021-01-01).", Section(summary, "medications").Sentences.Single().Text);
        var question = Section(summary, "open-questions").Sentences.Single();
        Assert.Contains("apixaban on hold", question.Text);
        Assert.Equal([af, apixaban], EventIds(question));
    }

    [Fact]
    public void Warfarin_shows_the_INR_course_without_calling_a_therapeutic_INR_abnormal()
    {
        var chart = new Chart();
        chart.Condition("Atrial fibrillation", "2021-01-01", "49436004");
        chart.Medication("Warfarin Sodium 5 MG Oral Tablet", "2021-01-01");
        chart.Lab("6301-6", "INR", "2024-01-01", 2.4, "{INR}", 0.8, 1.2, "H");
        chart.Lab("6301-6", "INR", "2024-03-01", 2.6, "{INR}", 0.8, 1.2, "H");

        var summary = SummaryGenerator.Generate(chart.Record());

        Assert.Contains("INR 2.4 → 2.6 over 2 months, stable.", SentenceAbout(summary, "problems", "Atrial fibrillation").Text);
        Assert.DoesNotContain(summary.Sections, s => s.Key == "results");
    }

    [Fact]
    public void Recent_changes_list_new_and_stopped_medications_new_problems_and_admissions_within_the_window()
    {
        var chart = new Chart();
        chart.Condition("Essential hypertension", "2015-01-01", "59621000");
        chart.Medication("amlodipine", "2015-01-01");
        var metformin = chart.Medication("metformin", "2016-01-01", status: "stopped", ended: "2024-05-01");
        var furosemide = chart.Medication("furosemide", "2024-05-01");
        var hf = chart.Condition("Chronic congestive heart failure", "2024-05-01", "88805009");
        var admission = chart.Encounter("IMP", "Hospital admission", Chart.On("2024-04-20"), Chart.On("2024-04-25"));
        chart.Lab("2345-7", "Glucose", "2024-06-01", 90, "mg/dL", 70, 99);

        var summary = SummaryGenerator.Generate(chart.Record());

        var changes = Section(summary, "recent-changes").Sentences;
        Assert.Contains(changes, s => s.Text == "metformin stopped on 2024-05-01." && EventIds(s).SequenceEqual([metformin]));
        Assert.Contains(changes, s => s.Text == "furosemide started on 2024-05-01." && EventIds(s).SequenceEqual([furosemide]));
        Assert.Contains(changes, s => s.Text == "Chronic congestive heart failure recorded on 2024-05-01." && EventIds(s).SequenceEqual([hf]));
        Assert.Contains(changes, s => s.Text == "Hospital admission from 2024-04-20 to 2024-04-25." && EventIds(s).SequenceEqual([admission]));
        Assert.DoesNotContain(changes, s => s.Text.Contains("amlodipine", StringComparison.Ordinal) || s.Text.Contains("hypertension", StringComparison.Ordinal));
    }

    [Fact]
    public void A_patient_over_89_is_90_plus_and_age_is_computed_at_the_summary_date()
    {
        var old = new Chart(sex: "male", birthDate: null, age: 90, over89: true);
        old.Condition("Essential hypertension", "2015-01-01", "59621000");
        Assert.StartsWith("90+ year-old male with essential hypertension", SummaryGenerator.Generate(old.Record()).Sections[0].Sentences[0].Text);

        var turning = new Chart(birthDate: new DateOnly(1950, 6, 15), age: 75);
        turning.Condition("Essential hypertension", "2015-01-01", "59621000");
        var before = SummaryGenerator.Generate(turning.Record(), new SummaryOptions { AsOf = Chart.On("2020-06-14") });
        var after = SummaryGenerator.Generate(turning.Record(), new SummaryOptions { AsOf = Chart.On("2020-06-15") });
        Assert.StartsWith("69-year-old female", before.Sections[0].Sentences[0].Text);
        Assert.StartsWith("70-year-old female", after.Sections[0].Sentences[0].Text);
    }

    [Fact]
    public void Events_after_as_of_are_left_out_and_as_of_defaults_to_the_latest_event()
    {
        var chart = new Chart();
        chart.Condition("Essential hypertension", "2015-01-01", "59621000");
        chart.Medication("amlodipine", "2015-01-01");
        chart.Medication("lisinopril", "2023-01-01");

        var latest = SummaryGenerator.Generate(chart.Record());
        var earlier = SummaryGenerator.Generate(chart.Record(), new SummaryOptions { AsOf = Chart.On("2020-01-01") });

        Assert.Equal(Chart.On("2023-01-01"), latest.AsOf);
        Assert.Contains("lisinopril", Text(latest));
        Assert.Equal(Chart.On("2020-01-01"), earlier.AsOf);
        Assert.DoesNotContain("lisinopril", Text(earlier));
    }

    [Fact]
    public void An_open_emergency_encounter_puts_the_presentation_and_chief_complaint_in_the_one_liner()
    {
        var chart = new Chart(sex: "male", age: 64);
        var hypertension = chart.Condition("Essential hypertension", "2015-01-01", "59621000");
        chart.Medication("amlodipine", "2015-01-01");
        var arrival = Chart.On("2024-03-02").AddHours(8);
        var encounter = chart.Encounter("EMER", "Emergency room admission", arrival);
        var note = chart.Note(encounter, arrival.AddHours(1), "EMERGENCY DEPARTMENT NOTE\nChief complaint: crushing chest pain.\n\nHistory: ...");

        var oneLiner = SummaryGenerator.Generate(chart.Record()).Sections[0].Sentences.Single();

        Assert.Equal("64-year-old male with essential hypertension, presenting to the emergency department on 2024-03-02 with crushing chest pain.", oneLiner.Text);
        Assert.Equal([hypertension, encounter, note], EventIds(oneLiner));
        Assert.Contains(oneLiner.Citations, c => c.Kind == CitationKind.Patient && c.Id == chart.Patient.Id);
    }

    [Fact]
    public void During_a_presentation_the_long_term_course_and_the_acute_value_are_told_apart()
    {
        var chart = new Chart();
        chart.Condition("Essential hypertension", "2015-01-01", "59621000");
        chart.Medication("amlodipine", "2015-01-01");
        chart.BloodPressure("2021-01-01", 150, 90);
        chart.BloodPressure("2022-01-01", 140, 85);
        chart.BloodPressure("2023-01-01", 128, 80);
        var arrival = Chart.On("2024-03-02");
        chart.Encounter("EMER", "Emergency room admission", arrival);
        chart.BloodPressure("2024-03-02", 82, 44);

        var sentence = SentenceAbout(SummaryGenerator.Generate(chart.Record()), "problems", "Essential hypertension");

        Assert.Equal("Essential hypertension, since 2015-01-01: blood pressure 150/90 → 128/80 mmHg over 2 years, systolic falling 11 per year, now 82/44 mmHg on 2024-03-02.", sentence.Text);
    }

    [Fact]
    public void A_recent_abnormal_result_is_reported_with_its_range_and_the_result_before_it()
    {
        var chart = new Chart();
        var before = chart.Lab("2823-3", "Potassium", "2024-01-10", 4.4, "mmol/L", 3.5, 5.1);
        var latest = chart.Lab("2823-3", "Potassium", "2024-03-01", 6.4, "mmol/L", 3.5, 5.1, "HH");

        var sentence = Section(SummaryGenerator.Generate(chart.Record()), "results").Sentences.Single();

        Assert.Equal("Potassium 6.4 mmol/L on 2024-03-01, critically high (reference 3.5–5.1); previously 4.4 on 2024-01-10.", sentence.Text);
        Assert.Equal([latest, before], EventIds(sentence));
    }

    [Fact]
    public void A_newly_abnormal_result_that_was_never_repeated_is_an_open_question()
    {
        var chart = new Chart();
        chart.Lab("2160-0", "Creatinine", "2023-01-10", 0.9, "mg/dL", 0.59, 1.04);
        var raised = chart.Lab("2160-0", "Creatinine", "2023-06-01", 1.6, "mg/dL", 0.59, 1.04, "H");
        chart.Allergy("Allergy to penicillin", "2024-01-01", "Urticaria");

        var summary = SummaryGenerator.Generate(chart.Record());

        var question = Section(summary, "open-questions").Sentences.Single();
        Assert.StartsWith("Creatinine 1.6 mg/dL on 2023-06-01 was newly high after 0.9 on 2023-01-10 and has not been repeated", question.Text);
        Assert.Contains(raised, EventIds(question));
        Assert.Equal("Allergy to penicillin: Urticaria.", Section(summary, "allergies").Sentences.Single().Text);
    }

    [Fact]
    public void Untreated_hypertension_and_diabetes_are_open_questions()
    {
        var chart = new Chart();
        var hypertension = chart.Condition("Essential hypertension", "2015-01-01", "59621000");
        var diabetes = chart.Condition("Type 2 diabetes mellitus", "2016-01-01");
        chart.Medication("atorvastatin", "2016-01-01");

        var questions = Section(SummaryGenerator.Generate(chart.Record()), "open-questions").Sentences;

        Assert.Contains(questions, q => q.Text.Contains("antihypertensive", StringComparison.Ordinal) && EventIds(q).SequenceEqual([hypertension]));
        Assert.Contains(questions, q => q.Text.Contains("glucose-lowering", StringComparison.Ordinal) && EventIds(q).SequenceEqual([diabetes]));
    }

    [Fact]
    public void An_active_NSAID_with_kidney_disease_is_an_open_question()
    {
        var chart = new Chart();
        var ckd = chart.Condition("Chronic kidney disease stage 3", "2020-06-01", "433144002");
        chart.Medication("lisinopril", "2020-06-01");
        var ibuprofen = chart.Medication("Ibuprofen 200 MG Oral Tablet", "2021-01-01");

        var question = Section(SummaryGenerator.Generate(chart.Record()), "open-questions").Sentences.Single();

        Assert.Equal("Ibuprofen 200 MG Oral Tablet is active with chronic kidney disease stage 3: is the NSAID still appropriate?", question.Text);
        Assert.Equal([ibuprofen, ckd], EventIds(question));
    }

    [Fact]
    public void Same_record_gives_the_same_summary_whatever_the_event_order()
    {
        var chart = new Chart();
        chart.Condition("Chronic kidney disease stage 3", "2020-06-01", "433144002");
        chart.Lab(Egfr, "eGFR", "2021-01-01", 52, "mL/min/{1.73_m2}", low: 60);
        chart.Lab(Egfr, "eGFR", "2023-01-01", 41, "mL/min/{1.73_m2}", low: 60);
        chart.Medication("lisinopril", "2020-06-01");

        var first = JsonSerializer.Serialize(SummaryGenerator.Generate(chart.Record()));
        Assert.Equal(first, JsonSerializer.Serialize(SummaryGenerator.Generate(chart.Record())));
        Assert.Equal(first, JsonSerializer.Serialize(SummaryGenerator.Generate(chart.RecordShuffled())));
    }

    [Fact]
    public void Summary_serializes_to_json_with_citation_kinds_as_names_and_reads_back()
    {
        var chart = new Chart();
        chart.Condition("Essential hypertension", "2015-01-01", "59621000");
        chart.Medication("amlodipine", "2015-01-01");
        var summary = SummaryGenerator.Generate(chart.Record());

        var json = JsonSerializer.Serialize(summary, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var back = JsonSerializer.Deserialize<CaseSummary>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        Assert.Contains("\"kind\":\"Patient\"", json);
        Assert.Contains("\"generatorVersion\":\"" + SummaryGenerator.Version + "\"", json);
        Assert.Equal(json, JsonSerializer.Serialize(back, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }
}
