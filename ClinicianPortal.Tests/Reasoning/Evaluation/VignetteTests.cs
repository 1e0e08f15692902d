using System.Text.Json;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Evaluation;
using ClinicianPortal.Shared.Reasoning.Findings;
using ClinicianPortal.Tests.Infrastructure;

namespace ClinicianPortal.Tests.Reasoning.Evaluation;

public sealed class VignetteTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vignettes-").FullName;
    private static readonly KnowledgeBase Kb = KnowledgeBase.LoadEmbedded();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string FirstLines(string file, int count)
    {
        var path = Path.Combine(_folder, file);
        File.WriteAllLines(path, File.ReadLines(TestEnvironment.SharedData("vignettes", file)).Take(count));
        return path;
    }

    [Fact]
    public void Avey_lines_become_a_note_with_denials_as_sentences_age_sex_and_the_gold_label_kept_out_of_the_text()
    {
        var vignettes = VignetteReader.Read(FirstLines("avey_400_vignettes.jsonl", 3));

        Assert.Equal(3, vignettes.Count);
        var covid = vignettes[0];
        Assert.Equal(("COVID 19", 61, "male"), (covid.GoldDiagnosis, covid.Age, covid.Sex));
        Assert.Contains("Chief complaint: Fever, Cough, Difficulty breathing.", covid.Text);
        Assert.Contains("No sorethroat. No nausea or vomiting. No nasal congestion", covid.Text);
        Assert.Contains("Past medical history: Hypertension controlled on medications.", covid.Text);
        Assert.DoesNotContain("COVID 19", covid.Text);
        Assert.Equal("Unstable Angina", vignettes[1].GoldDiagnosis);
        Assert.Equal((34, "female"), (vignettes[2].Age, vignettes[2].Sex));
    }

    [Fact]
    public void AgentClinic_lines_flatten_history_exam_and_tests_without_the_objective_or_the_diagnosis()
    {
        var vignettes = VignetteReader.Read(FirstLines("agentclinic_medqa_extended.jsonl", 3));

        var mg = vignettes[0];
        Assert.Equal(("Myasthenia gravis", 35, "female"), (mg.GoldDiagnosis, mg.Age, mg.Sex));
        Assert.Contains("Presence of ptosis", mg.Text);                         // examination
        Assert.Contains("Acetylcholine receptor antibodies: Present", mg.Text); // test results
        Assert.Contains("Past medical history: No significant past medical history.", mg.Text);
        Assert.DoesNotContain("Assess and diagnose", mg.Text);
        Assert.DoesNotContain("Myasthenia", mg.Text, StringComparison.OrdinalIgnoreCase);
        Assert.All(vignettes, v => Assert.False(string.IsNullOrWhiteSpace(v.GoldDiagnosis)));
    }

    [Fact]
    public void Each_file_format_is_detected_and_a_line_of_neither_format_is_refused_by_number()
    {
        Assert.True(VignetteReader.IsVignetteFile(TestEnvironment.SharedData("vignettes", "avey_400_vignettes.jsonl")));
        Assert.True(VignetteReader.IsVignetteFile(TestEnvironment.SharedData("vignettes", "agentclinic_medqa_extended.jsonl")));
        using (var doc = JsonDocument.Parse("""{"diagnosis": "x"}""")) Assert.Equal(VignetteReader.Format.Unknown, VignetteReader.Detect(doc.RootElement));

        var path = FirstLines("avey_400_vignettes.jsonl", 1);
        File.AppendAllLines(path, ["""{"diagnosis": "x"}"""]);
        var error = Assert.Throws<InvalidDataException>(() => VignetteReader.Read(path));
        Assert.Contains("line 2", error.Message);
        Assert.False(VignetteReader.IsVignetteFile(TestEnvironment.SharedData("ddxplus", DdxPlusData.ConditionsFile)));
    }

    [Theory]
    [InlineData("61 year old Male", 61, "male")]
    [InlineData("35-year-old woman", 35, "female")]
    [InlineData("A 2-month-old boy", 0, "male")]
    [InlineData("Female, age not given", null, "female")]
    public void Demographics_read_age_and_sex(string text, int? age, string sex) =>
        Assert.Equal((age, sex), VignetteReader.Demographics(text));

    [Fact]
    public void Findings_come_from_the_note_matcher_affirmed_present_denied_absent_relatives_ignored()
    {
        var findings = new VignetteFindings(Kb);
        var vignette = new Vignette("v1", "x",
            "Chief complaint: Cough.\n\nShe has had a cough and headache for 3 days.\n\nNo fever. No sore throat.\n\nFamily history: mother had shortness of breath.\n\n",
            30, "female");

        var set = findings.Extract(vignette);

        Assert.Equal(FindingState.Present, set.StateOf("cough"));
        Assert.Equal(FindingState.Present, set.StateOf("headache"));
        Assert.Equal(FindingState.Absent, set.StateOf("fever"));
        Assert.Equal(FindingState.Absent, set.StateOf("sore-throat"));
        Assert.Equal(FindingState.Unknown, set.StateOf("dyspnoea"));
        // Demographic findings are judged from the stated age and sex.
        Assert.Equal(FindingState.Present, set.StateOf("female-sex"));
        Assert.Equal(FindingState.Absent, set.StateOf("male-sex"));
        Assert.Equal(FindingState.Present, set.StateOf("age-under-40"));
        Assert.Equal(FindingState.Absent, set.StateOf("age-65-or-over"));
    }

    [Fact]
    public void Vital_signs_written_as_numbers_are_read_in_the_KB_units()
    {
        var vitals = VignetteVitals.Read(
            "Vital signs: Temperature: 36.6°C (97.9°F). Blood pressure: 85/50 mmHg. Heart rate: 124 bpm. Respiratory rate: 16 breaths/min. Oxygen saturation: 89% on room air.");

        Assert.Equal(36.6, vitals[VignetteVitals.BodyTemperature]);
        Assert.Equal((85.0, 50.0), (vitals[VignetteVitals.Systolic], vitals[VignetteVitals.Diastolic]));
        Assert.Equal(124, vitals[VignetteVitals.HeartRate]);
        Assert.Equal(16, vitals[VignetteVitals.RespiratoryRate]);
        Assert.Equal(89, vitals[VignetteVitals.OxygenSaturation]);
        Assert.Equal(38.9, VignetteVitals.Read("temperature of 102 F")[VignetteVitals.BodyTemperature]);
        Assert.Empty(VignetteVitals.Read("Heart rate: normal. Temperature: normothermic."));
    }

    [Fact]
    public void Vitals_make_their_findings_present_when_past_the_threshold_and_absent_when_normal()
    {
        var set = new VignetteFindings(Kb).Extract(new Vignette("v", "x",
            "Temperature: 36.6°C.\n\nBlood pressure: 85/50 mmHg.\n\nHeart rate: 124 bpm.\n\n", null, null));

        Assert.Equal(FindingState.Absent, set.StateOf("fever"));
        Assert.Equal(FindingState.Present, set.StateOf("hypotension"));
        Assert.Equal(FindingState.Present, set.StateOf("tachycardia"));
        Assert.Equal(FindingState.Absent, set.StateOf("bradycardia"));
        Assert.Equal(FindingState.Unknown, set.StateOf("tachypnoea")); // no respiratory rate given
    }
}
