using System.Globalization;
using System.Text.Json;
using ClinicianPortal.Shared.Records.Synthetic;

namespace ClinicianPortal.Tests.Records.Synthetic;

/// <summary>
/// The sample cohort shows what it promises, checked on the generated JSON itself: trends, admissions,
/// acute presentations with notes, coding, and FHIR shape.
/// </summary>
public sealed class CohortContentTests(CohortFixture cohort) : IClassFixture<CohortFixture>
{
    private const string Loinc = "http://loinc.org";
    private const string Snomed = "http://snomed.info/sct";
    private const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    private const string Ucum = "http://unitsofmeasure.org";
    private static readonly DateTimeOffset Reference = CohortOptions.DefaultReferenceDate;

    [Fact]
    public void Cohort_has_at_least_25_patients_with_several_per_theme()
    {
        Assert.True(cohort.Patients.Count >= 25);
        foreach (var scenario in CohortScenario.Chronic) Assert.True(cohort.Patients.Count(p => p.Scenario == scenario) >= 3, scenario);
        foreach (var scenario in CohortScenario.Acute) Assert.True(cohort.Patients.Count(p => p.Scenario == scenario) >= 2, scenario);
    }

    [Fact]
    public void Cohort_mixes_ages_and_sexes_with_a_patient_over_89_and_one_deceased()
    {
        var patients = cohort.Bundles.Values.Select(b => b.RootElement.Resources("Patient").Single()).ToList();
        var ages = patients.Select(p => AgeAt(DateTimeOffset.Parse(p.Str("birthDate")!, CultureInfo.InvariantCulture), Reference)).ToList();
        Assert.Contains(ages, a => a > 89);
        Assert.Contains(ages, a => a < 60);
        Assert.Contains(patients, p => p.Str("gender") == "female");
        Assert.Contains(patients, p => p.Str("gender") == "male");
        var deceased = Assert.Single(patients, p => p.TryGetProperty("deceasedDateTime", out _));
        Assert.False(deceased.GetProperty("active").GetBoolean());
    }

    [Fact]
    public void Histories_span_three_to_fifteen_years()
    {
        foreach (var (name, bundle) in cohort.Bundles)
        {
            var starts = bundle.RootElement.Resources("Encounter").Select(e => DateTimeOffset.Parse(e.GetProperty("period").Str("start")!, CultureInfo.InvariantCulture)).ToList();
            var years = (starts.Max() - starts.Min()).TotalDays / 365.25;
            Assert.InRange(years, 3, 15);
        }
    }

    [Fact]
    public void A_diabetic_has_HbA1c_rising_across_at_least_three_results()
    {
        Assert.Contains(cohort.BundlesOf(CohortScenario.Type2Diabetes), bundle =>
        {
            var a1c = bundle.Results("4548-4");
            return a1c.Count >= 3 && Slope(a1c) > 0.1 && a1c[^1].Value - a1c[0].Value >= 1.0;
        });
    }

    [Fact]
    public void A_kidney_patient_loses_more_than_5_eGFR_points_a_year_as_creatinine_rises()
    {
        Assert.Contains(cohort.BundlesOf(CohortScenario.ChronicKidneyDisease), bundle =>
        {
            var egfr = bundle.Results("62238-1", "33914-3");
            var creatinine = bundle.Results("2160-0");
            return egfr.Count >= 3 && Slope(egfr) < -5 && creatinine[^1].Value > creatinine[0].Value * 1.3;
        });
        // Stage changes are recorded: an earlier CKD stage made inactive when a later one starts.
        Assert.Contains(cohort.BundlesOf(CohortScenario.ChronicKidneyDisease), bundle =>
            bundle.Resources("Condition").Any(c => c.FirstCode("clinicalStatus") == "inactive" && c.TryGetProperty("abatementDateTime", out _)));
    }

    [Fact]
    public void Heart_failure_patients_have_natriuretic_peptides_echo_LVEF_and_admissions()
    {
        foreach (var bundle in cohort.BundlesOf(CohortScenario.HeartFailure))
        {
            Assert.NotEmpty(bundle.Results("30934-4", "33762-6"));
            Assert.Contains(bundle.Results("10230-1"), r => r.Value < 40);
            Assert.Contains(bundle.Resources("Procedure"), p => p.FirstCode("code") == "433236007");
        }
        Assert.Contains(cohort.BundlesOf(CohortScenario.HeartFailure), bundle =>
            bundle.Resources("Encounter").Any(e => e.GetProperty("class").Str("code") == "IMP")
            && bundle.Resources("DocumentReference").Any(d => d.FirstCode("type") == "18842-5"));
    }

    [Fact]
    public void A_COPD_patient_has_exacerbations_treated_with_prednisone_and_antibiotics()
    {
        Assert.Contains(cohort.BundlesOf(CohortScenario.Copd), bundle =>
            bundle.Resources("Condition").Any(c => c.FirstCode("code") == "195951007" && c.FirstCode("clinicalStatus") == "resolved" && c.TryGetProperty("abatementDateTime", out _))
            && bundle.Resources("MedicationRequest").Any(m => m.FirstCode("medicationCodeableConcept") == "8640" && m.Str("status") == "completed"
                && m.GetProperty("dispenseRequest").GetProperty("validityPeriod").TryGetProperty("end", out _))
            && bundle.Resources("MedicationRequest").Any(m => m.FirstCode("medicationCodeableConcept") == "3640"));
    }

    [Fact]
    public void Hypertension_shows_in_blood_pressure_readings_that_fall_with_treatment()
    {
        Assert.Contains(cohort.BundlesOf(CohortScenario.Hypertension), bundle =>
        {
            var systolic = bundle.Resources("Observation")
                .Where(o => o.FirstCode("code") == "85354-9")
                .Select(o => (At: o.Str("effectiveDateTime")!, Value: o.GetProperty("component").EnumerateArray().Single(c => c.FirstCode("code") == "8480-6").GetProperty("valueQuantity").GetProperty("value").GetDouble()))
                .OrderBy(r => r.At, StringComparer.Ordinal).ToList();
            return systolic.Count >= 3 && systolic[0].Value >= 140 && systolic.TakeLast(3).Average(r => r.Value) < systolic[0].Value - 10;
        });
    }

    [Fact]
    public void Atrial_fibrillation_patients_are_anticoagulated_and_warfarin_comes_with_INR_checks()
    {
        foreach (var bundle in cohort.BundlesOf(CohortScenario.AtrialFibrillation))
        {
            Assert.Contains(bundle.Resources("MedicationRequest"), m =>
                m.Str("status") == "active" && m.GetProperty("medicationCodeableConcept").GetProperty("coding")[0].Str("system") == RxNorm
                && m.FirstCode("medicationCodeableConcept") is "1364430" or "855332");
        }
        Assert.Contains(cohort.BundlesOf(CohortScenario.AtrialFibrillation), bundle =>
            bundle.Resources("MedicationRequest").Any(m => m.FirstCode("medicationCodeableConcept") == "855332" && m.Str("status") == "active")
            && bundle.Results("6301-6").Count >= 3);
    }

    [Theory]
    [InlineData(CohortScenario.AcuteCoronarySyndrome)]
    [InlineData(CohortScenario.Pneumonia)]
    [InlineData(CohortScenario.Sepsis)]
    [InlineData(CohortScenario.PulmonaryEmbolism)]
    [InlineData(CohortScenario.AcuteKidneyInjury)]
    [InlineData(CohortScenario.UpperGiBleed)]
    public void Acute_presentation_is_an_open_emergency_visit_with_a_note_and_results_that_fit(string scenario)
    {
        var bundles = cohort.BundlesOf(scenario).ToList();
        Assert.NotEmpty(bundles);
        foreach (var bundle in bundles)
        {
            var encounter = Assert.Single(bundle.Resources("Encounter"), e => e.Str("status") == "in-progress");
            Assert.Equal("EMER", encounter.GetProperty("class").Str("code"));
            var reference = "urn:uuid:" + encounter.Str("id");
            var start = DateTimeOffset.Parse(encounter.GetProperty("period").Str("start")!, CultureInfo.InvariantCulture);
            Assert.InRange(start, Reference.AddDays(-2), Reference);

            var note = Assert.Single(bundle.Resources("DocumentReference"), d => d.GetProperty("context").GetProperty("encounter")[0].Str("reference") == reference);
            var text = note.NoteText();
            Assert.Contains("History of present illness", text, StringComparison.Ordinal);
            Assert.Contains("Examination", text, StringComparison.Ordinal);
            Assert.Contains("Differential diagnosis", text, StringComparison.Ordinal);
            Assert.Contains("Denies", text, StringComparison.Ordinal);

            List<(DateTimeOffset At, double Value)> Now(params string[] loinc) =>
                [.. bundle.Resources("Observation").Where(o => o.Str("encounter", "reference") == reference).Where(o => loinc.Contains(o.FirstCode("code")) && o.TryGetProperty("valueQuantity", out _))
                    .Select(o => (DateTimeOffset.Parse(o.Str("effectiveDateTime")!, CultureInfo.InvariantCulture), o.GetProperty("valueQuantity").GetProperty("value").GetDouble())).OrderBy(r => r.Item1)];
            double Before(string loinc) => bundle.Results(loinc).Last(r => r.At < start).Value;
            bool Procedure(string code) => bundle.Resources("Procedure").Any(p => p.FirstCode("code") == code && p.Str("encounter", "reference") == reference);
            double Systolic() => bundle.Resources("Observation").Where(o => o.Str("encounter", "reference") == reference && o.FirstCode("code") == "85354-9")
                .Select(o => o.GetProperty("component")[0].GetProperty("valueQuantity").GetProperty("value").GetDouble()).Single();

            switch (scenario)
            {
                case CohortScenario.AcuteCoronarySyndrome:
                    var troponin = Now("10839-9", "89579-7");
                    Assert.Equal(2, troponin.Count);
                    Assert.True(troponin[1].Value > 5 * troponin[0].Value, "troponin rises");
                    Assert.True(Procedure("29303009"), "ECG done");
                    break;
                case CohortScenario.Pneumonia:
                    Assert.True(Now("6690-2").Single().Value > 11);
                    Assert.True(Now("1988-5").Single().Value > 50);
                    Assert.True(Now("8310-5").Single().Value >= 38);
                    Assert.True(Procedure("399208008"), "chest X-ray done");
                    Assert.Contains(bundle.Resources("DiagnosticReport"), r => r.Str("encounter", "reference") == reference && r.Str("conclusion")?.Contains("consolidation", StringComparison.Ordinal) == true);
                    break;
                case CohortScenario.Sepsis:
                    Assert.True(Now("2524-7").Max(r => r.Value) >= 4);
                    Assert.True(Systolic() < 90);
                    Assert.True(Now("8867-4").Single().Value > 110);
                    break;
                case CohortScenario.PulmonaryEmbolism:
                    Assert.True(Now("48065-7").Single().Value > 500);
                    Assert.True(Procedure("16332841000119100"), "CT pulmonary angiogram done");
                    break;
                case CohortScenario.AcuteKidneyInjury:
                    Assert.True(Now("2160-0").Single().Value >= 2 * Before("2160-0"), "creatinine at least doubles");
                    Assert.Contains(bundle.Resources("MedicationRequest"), m => m.FirstCode("medicationCodeableConcept") == "29046" && m.Str("status") == "on-hold");
                    break;
                case CohortScenario.UpperGiBleed:
                    Assert.True(Before("718-7") - Now("718-7").Min(r => r.Value) >= 3, "haemoglobin drops");
                    Assert.True(Procedure("76009000"), "endoscopy done");
                    break;
            }
            // The working diagnosis is left for the reasoning to find: it is not coded in the chart.
            var diagnosis = cohort.Patients.Single(p => bundle.Resources("Patient").Single().Str("id") == p.PatientId).WorkingDiagnosis!;
            Assert.DoesNotContain(bundle.Resources("Condition"), c => c.FirstCode("code") == diagnosis.Code);
        }
    }

    [Fact]
    public void Notes_read_like_clinical_notes_with_negations_history_and_assessment()
    {
        var notes = cohort.Bundles.Values.SelectMany(b => b.RootElement.NoteTexts()).ToList();
        Assert.Contains(notes, n => n.Contains("Denies chest pain", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("No fever", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("History of DVT", StringComparison.Ordinal) || n.Contains("history of DVT", StringComparison.Ordinal));
        Assert.All(notes, n => Assert.Contains("Medications:", n, StringComparison.Ordinal));
        var types = cohort.Bundles.Values.SelectMany(b => b.RootElement.Resources("DocumentReference")).Select(d => d.FirstCode("type")).ToHashSet();
        Assert.All(new[] { "34117-2", "11506-3", "18842-5", "34111-5" }, t => Assert.Contains(t, types));
    }

    [Fact]
    public void Every_observation_has_a_LOINC_code_and_numeric_values_have_UCUM_units()
    {
        foreach (var (name, bundle) in cohort.Bundles)
        {
            foreach (var observation in bundle.RootElement.Resources("Observation"))
            {
                Assert.Equal(Loinc, observation.GetProperty("code").GetProperty("coding")[0].Str("system"));
                Assert.Matches("^[0-9]+-[0-9]$", observation.FirstCode("code"));
                Assert.Contains(observation.GetProperty("category")[0].GetProperty("coding")[0].Str("code"), new[] { "laboratory", "vital-signs", "imaging", "procedure" });
                var quantities = new List<JsonElement>();
                if (observation.TryGetProperty("valueQuantity", out var value)) quantities.Add(value);
                if (observation.TryGetProperty("component", out var components))
                    quantities.AddRange(components.EnumerateArray().Select(c => c.GetProperty("valueQuantity")));
                if (quantities.Count == 0) Assert.True(observation.TryGetProperty("valueString", out _), $"{name}: observation without a value");
                foreach (var quantity in quantities)
                {
                    Assert.Equal(Ucum, quantity.Str("system"));
                    Assert.False(string.IsNullOrEmpty(quantity.Str("code")), name);
                    Assert.Equal(JsonValueKind.Number, quantity.GetProperty("value").ValueKind);
                }
            }
        }
    }

    [Fact]
    public void Lab_results_carry_a_reference_range_and_a_consistent_interpretation()
    {
        var labs = cohort.Bundles.Values.SelectMany(b => b.RootElement.Resources("Observation"))
            .Where(o => o.GetProperty("category")[0].GetProperty("coding")[0].Str("code") == "laboratory").ToList();
        Assert.True(labs.Count > 500);
        var flags = new HashSet<string>();
        foreach (var lab in labs)
        {
            var value = lab.GetProperty("valueQuantity").GetProperty("value").GetDouble();
            var range = lab.GetProperty("referenceRange")[0];
            double? low = range.TryGetProperty("low", out var l) ? l.GetProperty("value").GetDouble() : null;
            double? high = range.TryGetProperty("high", out var h) ? h.GetProperty("value").GetDouble() : null;
            Assert.True(low is not null || high is not null);
            var flag = lab.GetProperty("interpretation")[0].GetProperty("coding")[0].Str("code")!;
            flags.Add(flag);
            switch (flag)
            {
                case "N": Assert.True((low is null || value >= low) && (high is null || value <= high), $"{lab.FirstCode("code")} {value} flagged N"); break;
                case "H" or "HH": Assert.True(high is not null && value > high, $"{lab.FirstCode("code")} {value} flagged {flag}"); break;
                case "L" or "LL": Assert.True(low is not null && value < low, $"{lab.FirstCode("code")} {value} flagged {flag}"); break;
                default: Assert.Fail("unexpected interpretation " + flag); break;
            }
        }
        Assert.All(new[] { "N", "H", "L", "HH", "LL" }, f => Assert.Contains(f, flags));
    }

    [Fact]
    public void Every_reference_resolves_to_an_entry_of_its_own_bundle()
    {
        foreach (var (name, bundle) in cohort.Bundles)
        {
            var fullUrls = bundle.RootElement.GetProperty("entry").EnumerateArray().Select(e => e.Str("fullUrl")!).ToHashSet(StringComparer.Ordinal);
            Assert.All(fullUrls, u => Assert.StartsWith("urn:uuid:", u, StringComparison.Ordinal));
            var references = Fhir.References(bundle.RootElement).ToList();
            Assert.NotEmpty(references);
            Assert.All(references, r => Assert.True(fullUrls.Contains(r), $"{name}: dangling reference {r}"));
        }
    }

    [Fact]
    public void Every_bundle_is_a_transaction_whose_entries_have_type_id_and_request()
    {
        foreach (var (name, bundle) in cohort.Bundles)
        {
            var root = bundle.RootElement;
            Assert.Equal("Bundle", root.Str("resourceType"));
            Assert.Equal("transaction", root.Str("type"));
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in root.GetProperty("entry").EnumerateArray())
            {
                var resource = entry.GetProperty("resource");
                var type = resource.Str("resourceType");
                var id = resource.Str("id");
                Assert.False(string.IsNullOrEmpty(type), name);
                Assert.False(string.IsNullOrEmpty(id), name);
                Assert.True(ids.Add(id!), $"{name}: duplicate id {id}");
                Assert.Equal("urn:uuid:" + id, entry.Str("fullUrl"));
                Assert.Equal("POST", entry.GetProperty("request").Str("method"));
                Assert.Equal(type, entry.GetProperty("request").Str("url"));
            }
            Assert.Single(root.Resources("Patient"));
        }
    }

    [Fact]
    public void Resources_use_the_expected_terminologies_and_carry_their_dates()
    {
        var all = cohort.Bundles.Values.SelectMany(b => b.RootElement.Resources()).ToList();
        string? System(JsonElement r, string property) => r.GetProperty(property).GetProperty("coding")[0].Str("system");
        Assert.All(all.Where(r => r.Str("resourceType") is "Condition" or "Procedure"), r => Assert.Equal(Snomed, System(r, "code")));
        Assert.All(all.Where(r => r.Str("resourceType") == "MedicationRequest"), r =>
        {
            Assert.Equal(RxNorm, System(r, "medicationCodeableConcept"));
            Assert.NotNull(r.Str("authoredOn"));
            var period = r.GetProperty("dispenseRequest").GetProperty("validityPeriod");
            Assert.Equal(r.Str("status") is "stopped" or "completed", period.TryGetProperty("end", out _));
        });
        Assert.All(all.Where(r => r.Str("resourceType") == "Immunization"), r => Assert.Equal("http://hl7.org/fhir/sid/cvx", System(r, "vaccineCode")));
        Assert.All(all.Where(r => r.Str("resourceType") == "Encounter"), r => Assert.Contains(r.GetProperty("class").Str("code"), new[] { "AMB", "EMER", "IMP" }));
        Assert.All(all.Where(r => r.Str("resourceType") == "Condition"), r =>
        {
            Assert.NotNull(r.Str("onsetDateTime"));
            Assert.Equal(r.FirstCode("clinicalStatus") != "active", r.TryGetProperty("abatementDateTime", out _));
        });
        // Echocardiogram, CT pulmonary angiogram, chest X-ray, ECG, upper GI endoscopy, colonoscopy.
        foreach (var code in new[] { "433236007", "16332841000119100", "399208008", "29303009", "76009000", "73761001" })
            Assert.Contains(all, r => r.Str("resourceType") == "Procedure" && r.FirstCode("code") == code);
        // Both eGFR codes occur: MDRD (33914-3) in older results, CKD-EPI (62238-1) in recent ones.
        Assert.Contains(all, r => r.FirstCode("code") == "33914-3");
        Assert.Contains(all, r => r.FirstCode("code") == "62238-1");
        foreach (var type in new[] { "AllergyIntolerance", "Immunization", "CarePlan", "DiagnosticReport", "Procedure", "DocumentReference" })
            Assert.Contains(all, r => r.Str("resourceType") == type);
        Assert.Contains(all, r => r.Str("resourceType") == "DiagnosticReport" && r.TryGetProperty("result", out var results) && results.GetArrayLength() >= 3);
    }

    private static int AgeAt(DateTimeOffset birth, DateTimeOffset at)
    {
        var age = at.Year - birth.Year;
        return birth.AddYears(age) > at ? age - 1 : age;
    }

    /// <summary>Least-squares slope per year.</summary>
    private static double Slope(List<(DateTimeOffset At, double Value)> series)
    {
        var xs = series.Select(s => (s.At - series[0].At).TotalDays / 365.25).ToList();
        var mx = xs.Average();
        var my = series.Average(s => s.Value);
        var sxy = xs.Zip(series).Sum(p => (p.First - mx) * (p.Second.Value - my));
        var sxx = xs.Sum(x => (x - mx) * (x - mx));
        return sxy / sxx;
    }
}
