using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Findings;
using ClinicianPortal.Shared.Records;
using static ClinicianPortal.Tests.Reasoning.Findings.TestFindings;

namespace ClinicianPortal.Tests.Reasoning.Findings;

public sealed class FindingExtractorTests
{
    private const string TroponinI = "10839-9";
    private const string HsTroponinI = "89579-7";
    private const string Creatinine = "2160-0";
    private const string Lactate = "2524-7";
    private const string Egfr = "62238-1";
    private const string Hemoglobin = "718-7";
    private const string HbA1c = "4548-4";

    private static FindingSet Extract(ChartBuilder chart, KnowledgeBase kb, DateTimeOffset? asOf = null) =>
        new FindingExtractor(kb).Extract(chart.Build(), asOf ?? ChartBuilder.Now);

    // ---- observations against thresholds

    [Fact]
    public void A_current_result_past_the_threshold_is_present_and_cites_the_result()
    {
        var chart = new ChartBuilder();
        var id = chart.Lab(TroponinI, 2.1, "ng/mL", hoursAgo: 1);

        var found = Extract(chart, With(Observation("troponin", TroponinI, ">", 0.04, "ng/mL")))["troponin"]!;

        Assert.Equal(FindingState.Present, found.State);
        Assert.Equal(id, Assert.Single(found.Citations).EventId);
        Assert.Contains("2.1 ng/mL > 0.04 ng/mL on 2025-05-31", found.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_current_normal_result_makes_the_finding_absent()
    {
        var chart = new ChartBuilder();
        var id = chart.Lab(TroponinI, 0.01, "ng/mL", hoursAgo: 1);

        var found = Extract(chart, With(Observation("troponin", TroponinI, ">", 0.04, "ng/mL")))["troponin"]!;

        Assert.Equal(FindingState.Absent, found.State);
        Assert.Equal(id, Assert.Single(found.Citations).EventId);
    }

    [Theory]
    [InlineData(265, "umol/L", FindingState.Present)]   // 3.0 mg/dL
    [InlineData(97, "µmol/L", FindingState.Absent)]     // 1.1 mg/dL
    [InlineData(3.0, "mg/dL", FindingState.Present)]
    public void Results_are_converted_to_the_threshold_unit(double value, string unit, FindingState expected)
    {
        var chart = new ChartBuilder();
        chart.Lab(Creatinine, value, unit, hoursAgo: 2);

        Assert.Equal(expected, Extract(chart, With(Observation("creatinine-high", Creatinine, ">", 1.5, "mg/dL"))).StateOf("creatinine-high"));
    }

    [Fact]
    public void A_high_sensitivity_troponin_in_ng_per_litre_is_compared_with_a_threshold_in_ng_per_millilitre()
    {
        var chart = new ChartBuilder();
        chart.Lab(HsTroponinI, 60, "ng/L", hoursAgo: 2);

        var found = Extract(chart, With(Observation("troponin", HsTroponinI, ">", 0.04, "ng/mL")))["troponin"]!;

        Assert.Equal(FindingState.Present, found.State);
        Assert.Contains("= 0.06 ng/mL", found.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mmol/L", "no molar mass")]
    [InlineData(null, "no unit")]
    [InlineData("furlongs", "cannot convert")]
    public void A_result_in_an_unknown_or_incompatible_unit_stays_unknown_and_says_why(string? unit, string why)
    {
        var chart = new ChartBuilder();
        var id = chart.Lab("1988-5", 80, unit, hoursAgo: 2);

        var found = Extract(chart, With(Observation("crp-high", "1988-5", ">", 10, "mg/L")))["crp-high"]!;

        Assert.Equal(FindingState.Unknown, found.State);
        Assert.Contains(why, found.Explanation, StringComparison.Ordinal);
        Assert.Equal(id, Assert.Single(found.Citations).EventId);
    }

    [Fact]
    public void A_result_older_than_72_hours_is_background_not_current()
    {
        var chart = new ChartBuilder();
        chart.Lab(TroponinI, 2.1, "ng/mL", hoursAgo: 80);

        var found = Extract(chart, With(Observation("troponin", TroponinI, ">", 0.04, "ng/mL")))["troponin"]!;

        Assert.Equal(FindingState.Unknown, found.State);
        Assert.Contains("older than 72 h", found.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_slowly_changing_result_stays_current_for_a_year()
    {
        var chart = new ChartBuilder();
        chart.Lab(HbA1c, 8.2, "%", hoursAgo: 24 * 120);
        chart.Lab(HbA1c, 6.1, "%", hoursAgo: 24 * 400);

        Assert.Equal(FindingState.Present, Extract(chart, With(Observation("a1c-high", HbA1c, ">=", 6.5, "%"))).StateOf("a1c-high"));
    }

    [Fact]
    public void Any_current_result_past_the_threshold_counts_even_when_the_repeat_is_lower()
    {
        var chart = new ChartBuilder();
        var first = chart.Lab(Lactate, 5.2, "mmol/L", hoursAgo: 4);
        var repeat = chart.Lab(Lactate, 3.0, "mmol/L", hoursAgo: 1);

        var found = Extract(chart, With(Observation("lactate-4", Lactate, ">=", 4, "mmol/L")))["lactate-4"]!;

        Assert.Equal(FindingState.Present, found.State);
        Assert.Equal([first, repeat], found.Citations.Select(c => c.EventId));
        Assert.Contains("latest Lab 2524-7 3 mmol/L", found.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Events_after_the_review_time_are_ignored()
    {
        var chart = new ChartBuilder();
        chart.Lab(TroponinI, 0.01, "ng/mL", hoursAgo: 20);
        chart.Lab(TroponinI, 3.0, "ng/mL", hoursAgo: 5);

        var set = Extract(chart, With(Observation("troponin", TroponinI, ">", 0.04, "ng/mL")), ChartBuilder.HoursAgo(10));

        Assert.Equal(FindingState.Absent, set.StateOf("troponin"));
    }

    [Fact]
    public void The_review_time_defaults_to_the_latest_event()
    {
        var chart = new ChartBuilder();
        chart.Lab(TroponinI, 0.01, "ng/mL", hoursAgo: 20);
        chart.Lab(TroponinI, 3.0, "ng/mL", hoursAgo: 5);

        var set = new FindingExtractor(With(Observation("troponin", TroponinI, ">", 0.04, "ng/mL"))).Extract(chart.Build());

        Assert.Equal(ChartBuilder.HoursAgo(5), set.AsOf);
        Assert.Equal(FindingState.Present, set.StateOf("troponin"));
    }

    [Fact]
    public void Blood_pressure_components_are_read_as_their_own_results()
    {
        var chart = new ChartBuilder();
        var id = chart.BloodPressure(82, 45, hoursAgo: 1);

        var found = Extract(chart, With(Observation("hypotension", "8480-6", "<", 90, "mm[Hg]", FindingKind.Vital)))["hypotension"]!;

        Assert.Equal(FindingState.Present, found.State);
        Assert.Equal(id, Assert.Single(found.Citations).EventId);
    }

    [Theory]
    [InlineData("Positive", null, FindingState.Present)]
    [InlineData("Not detected", null, FindingState.Absent)]
    [InlineData(null, "POS", FindingState.Present)]
    [InlineData("see comment", null, FindingState.Unknown)]
    public void Qualitative_results_are_read_from_their_text_or_interpretation(string? text, string? interpretation, FindingState expected)
    {
        var chart = new ChartBuilder();
        chart.Lab("5802-4", null, null, hoursAgo: 2, text: text, interpretation: interpretation);
        var nitrite = new Finding
        {
            Id = "nitrite", Name = "nitrite", Kind = FindingKind.Lab,
            Detection = new Detection { Observations = [new ObservationCriterion { Loinc = ["5802-4"], Comparator = "=", Value = "positive" }] },
        };

        Assert.Equal(expected, Extract(chart, With(nitrite)).StateOf("nitrite"));
    }

    // ---- trends

    [Theory]
    [InlineData(new double[] { 62, 55, 48, 40 }, FindingState.Present)]
    [InlineData(new double[] { 62, 61, 63, 60 }, FindingState.Absent)]
    public void An_egfr_slope_is_fitted_by_least_squares_over_the_results(double[] yearly, FindingState expected)
    {
        var chart = new ChartBuilder();
        for (var i = 0; i < yearly.Length; i++) chart.Lab(Egfr, yearly[i], "mL/min/{1.73_m2}", hoursAgo: 24 * 365.25 * (yearly.Length - 1 - i));

        var found = Extract(chart, With(Trend("egfr-declining", Egfr, TrendMeasure.SlopePerYear, "<", -5, "mL/min/{1.73_m2}/a", null)))["egfr-declining"]!;

        Assert.Equal(expected, found.State);
        Assert.Equal(yearly.Length, found.Citations.Count);
        if (expected == FindingState.Present) Assert.Contains("slope -7.3 ", found.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_haemoglobin_drop_within_the_window_is_present()
    {
        var chart = new ChartBuilder();
        var before = chart.Lab(Hemoglobin, 13.1, "g/dL", hoursAgo: 30);
        chart.Lab(Hemoglobin, 11.0, "g/dL", hoursAgo: 12);
        var after = chart.Lab(Hemoglobin, 10.4, "g/dL", hoursAgo: 1);
        chart.Lab(Hemoglobin, 15.0, "g/dL", hoursAgo: 24 * 20); // outside the 48 h window

        var found = Extract(chart, With(Trend("hb-drop", Hemoglobin, TrendMeasure.Change, "<=", -2, "g/dL", 48)))["hb-drop"]!;

        Assert.Equal(FindingState.Present, found.State);
        Assert.Equal([before, after], found.Citations.Select(c => c.EventId));
        Assert.Contains("-2.7", found.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_creatinine_rise_to_one_and_a_half_times_baseline_within_seven_days_is_present_across_units()
    {
        var chart = new ChartBuilder();
        chart.Lab(Creatinine, 88, "umol/L", hoursAgo: 24 * 5);   // 1.0 mg/dL
        chart.Lab(Creatinine, 1.7, "mg/dL", hoursAgo: 2);

        var found = Extract(chart, With(Trend("aki", Creatinine, TrendMeasure.Ratio, ">=", 1.5, "1", 168)))["aki"]!;

        Assert.Equal(FindingState.Present, found.State);
        Assert.Contains("×1.7", found.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_result_in_the_week_the_creatinine_baseline_is_the_median_of_the_past_year()
    {
        var chart = new ChartBuilder();
        chart.Lab(Creatinine, 0.9, "mg/dL", hoursAgo: 24 * 300);
        var median = chart.Lab(Creatinine, 1.0, "mg/dL", hoursAgo: 24 * 200);
        chart.Lab(Creatinine, 1.3, "mg/dL", hoursAgo: 24 * 60);
        chart.Lab(Creatinine, 0.5, "mg/dL", hoursAgo: 24 * 500);  // more than a year before the window
        var latest = chart.Lab(Creatinine, 2.6, "mg/dL", hoursAgo: 2);

        var found = Extract(chart, With(Trend("aki", Creatinine, TrendMeasure.Ratio, ">=", 1.5, "1", 168)))["aki"]!;

        Assert.Equal(FindingState.Present, found.State);
        Assert.Equal([median, latest], found.Citations.Select(c => c.EventId));
        Assert.Contains("median of 3 results", found.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_window_ratio_never_reaches_back_for_a_baseline()
    {
        var chart = new ChartBuilder();
        chart.Lab(HsTroponinI, 10, "ng/L", hoursAgo: 30);
        chart.Lab(HsTroponinI, 40, "ng/L", hoursAgo: 1);

        Assert.Null(Extract(chart, With(Trend("trop-rising", HsTroponinI, TrendMeasure.Ratio, ">=", 1.5, "1", 6)))["trop-rising"]);
    }

    [Fact]
    public void A_trend_needs_a_current_latest_result()
    {
        var chart = new ChartBuilder();
        chart.Lab(Creatinine, 1.0, "mg/dL", hoursAgo: 24 * 10);
        chart.Lab(Creatinine, 2.5, "mg/dL", hoursAgo: 24 * 8);

        Assert.Null(Extract(chart, With(Trend("aki", Creatinine, TrendMeasure.Ratio, ">=", 1.5, "1", 168)))["aki"]);
    }

    // ---- coded conditions

    private static Finding Coded(string id, FindingKind kind, string[] icd10, string[]? snomed = null) => new()
    {
        Id = id, Name = id, Kind = kind, Detection = new Detection { Codes = new Codes { Icd10 = icd10, Snomed = snomed ?? [] } },
    };

    [Theory]
    [InlineData("I21.4")]
    [InlineData("I214")]
    [InlineData("I25.10")]
    public void An_active_problem_matches_an_icd10_prefix_and_its_descendants(string code)
    {
        var chart = new ChartBuilder();
        var id = chart.Condition(Coding.Icd10, code, hoursAgo: 24 * 700);

        var found = Extract(chart, With(Coded("cad", FindingKind.History, ["I21", "I25"])))["cad"]!;

        Assert.Equal(FindingState.Present, found.State);
        Assert.False(found.Historical);
        Assert.Equal(id, Assert.Single(found.Citations).EventId);
    }

    [Fact]
    public void A_code_that_only_starts_like_the_prefix_does_not_match()
    {
        var chart = new ChartBuilder();
        chart.Condition(Coding.Icd10, "I26.9", hoursAgo: 24);

        Assert.Null(Extract(chart, With(Coded("cad", FindingKind.History, ["I25"])))["cad"]);
    }

    [Fact]
    public void A_resolved_condition_is_history_present_for_a_history_finding()
    {
        var chart = new ChartBuilder();
        chart.Condition(Coding.Snomed, "128053003", hoursAgo: 24 * 3000, status: "resolved", endedHoursAgo: 24 * 2800);

        var found = Extract(chart, With(Coded("prior-vte", FindingKind.History, [], ["128053003"])))["prior-vte"]!;

        Assert.Equal(FindingState.Present, found.State);
        Assert.True(found.Historical);
        Assert.Contains("past condition", found.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void An_old_symptom_code_is_not_part_of_the_current_presentation()
    {
        var chart = new ChartBuilder();
        chart.Condition(Coding.Icd10, "R07.9", hoursAgo: 24 * 400);
        chart.Condition(Coding.Icd10, "R50.9", hoursAgo: 24 * 400, status: "resolved", endedHoursAgo: 24 * 390);

        var set = Extract(chart, With(Coded("chest-pain", FindingKind.Symptom, ["R07"]), Coded("fever", FindingKind.Vital, ["R50"])));

        Assert.Equal(FindingState.Unknown, set.StateOf("chest-pain"));
        Assert.Equal(FindingState.Unknown, set.StateOf("fever"));
        Assert.True(set["fever"]!.Historical);
    }

    [Fact]
    public void A_symptom_coded_in_the_current_encounter_is_present()
    {
        var chart = new ChartBuilder();
        var encounter = chart.Encounter(hoursAgo: 100);
        chart.Condition(Coding.Icd10, "R07.9", hoursAgo: 99, encounter: encounter);

        Assert.Equal(FindingState.Present, Extract(chart, With(Coded("chest-pain", FindingKind.Symptom, ["R07"]))).StateOf("chest-pain"));
    }

    [Fact]
    public void Entered_in_error_conditions_are_ignored()
    {
        var chart = new ChartBuilder();
        chart.Condition(Coding.Icd10, "I25.10", hoursAgo: 24, status: "entered-in-error");

        Assert.Null(Extract(chart, With(Coded("cad", FindingKind.History, ["I25"])))["cad"]);
    }

    // ---- medications and demographics

    private static readonly Finding Anticoagulant = new()
    {
        Id = "anticoagulant", Name = "anticoagulant", Kind = FindingKind.Medication,
        Detection = new Detection { Medications = [new MedicationMatch { Rxnorm = "11289", Name = "warfarin" }, new MedicationMatch { Rxnorm = "1364430", Name = "apixaban" }] },
    };

    [Theory]
    [InlineData("855332", "Warfarin Sodium 5 MG Oral Tablet", "active", FindingState.Present)]  // product code, matched by ingredient name
    [InlineData("1364430", "Eliquis", "active", FindingState.Present)]                          // matched by ingredient code
    [InlineData("855332", "Warfarin Sodium 5 MG Oral Tablet", "stopped", FindingState.Unknown)]
    [InlineData("1191", "Aspirin 81 MG Oral Tablet", "active", FindingState.Unknown)]
    public void Active_medications_match_by_rxnorm_code_or_ingredient_name(string rxnorm, string title, string status, FindingState expected)
    {
        var chart = new ChartBuilder();
        chart.Medication(rxnorm, title, hoursAgo: 24 * 30, status: status);

        Assert.Equal(expected, Extract(chart, With(Anticoagulant)).StateOf("anticoagulant"));
    }

    [Theory]
    [InlineData("male", 1950, FindingState.Present)]
    [InlineData("female", 1950, FindingState.Absent)]
    [InlineData("male", 1961, FindingState.Absent)]
    public void Demographics_are_judged_at_the_review(string sex, int birthYear, FindingState expected)
    {
        var chart = new ChartBuilder { Sex = sex, BirthDate = new DateOnly(birthYear, 6, 1) };
        chart.Lab(TroponinI, 0.01, "ng/mL", hoursAgo: 1);
        var olderMan = new Finding
        {
            Id = "older-man", Name = "older man", Kind = FindingKind.Demographic,
            Detection = new Detection { Demographic = new DemographicCriterion { MinAge = 64, Sex = "male" } },
        };

        // Born June 1961, the patient is 63 at the review (May 2025).
        Assert.Equal(expected, Extract(chart, With(olderMan)).StateOf("older-man"));
    }

    // ---- notes and combining

    private static readonly Finding ChestPain = Phrases("chest-pain", FindingKind.Symptom, "chest pain");
    private static readonly Finding PriorVte = Phrases("prior-vte", FindingKind.History, "history of dvt", "dvt");

    [Fact]
    public void A_negated_mention_in_the_current_note_is_absent_and_cites_the_sentence()
    {
        var chart = new ChartBuilder();
        var note = chart.Note("HPI: three days of cough. Denies chest pain or haemoptysis.", hoursAgo: 2);

        var found = Extract(chart, With(ChestPain))["chest-pain"]!;

        Assert.Equal(FindingState.Absent, found.State);
        var citation = Assert.Single(found.Citations);
        Assert.Equal(note, citation.EventId);
        Assert.Equal("Denies chest pain or haemoptysis.", citation.Excerpt);
    }

    [Fact]
    public void Symptoms_in_old_notes_are_not_the_current_presentation()
    {
        var chart = new ChartBuilder();
        chart.Note("Presents with chest pain.", hoursAgo: 24 * 30);
        chart.Lab(TroponinI, 0.01, "ng/mL", hoursAgo: 1);

        Assert.Null(Extract(chart, With(ChestPain))["chest-pain"]);
    }

    [Fact]
    public void History_in_an_old_note_is_present_and_historical()
    {
        var chart = new ChartBuilder();
        chart.Note("Past medical history: DVT of the left leg, treated with warfarin.", hoursAgo: 24 * 800);
        chart.Note("Feels well.", hoursAgo: 1);

        var found = Extract(chart, With(PriorVte))["prior-vte"]!;

        Assert.Equal(FindingState.Present, found.State);
        Assert.True(found.Historical);
    }

    [Fact]
    public void A_medication_mentioned_as_stopped_is_not_taken_now()
    {
        var chart = new ChartBuilder();
        chart.Note("Stopped ibuprofen last week because of indigestion.", hoursAgo: 1);
        var nsaid = Phrases("nsaid", FindingKind.Medication, "ibuprofen");

        var found = Extract(chart, With(nsaid))["nsaid"]!;

        Assert.Equal(FindingState.Unknown, found.State);
        Assert.True(found.Historical);
    }

    [Fact]
    public void A_relatives_condition_is_not_the_patients()
    {
        var chart = new ChartBuilder();
        chart.Note("Her mother had a DVT after surgery.", hoursAgo: 1);

        Assert.Null(Extract(chart, With(PriorVte))["prior-vte"]);
    }

    [Fact]
    public void A_current_structured_result_beats_the_note_and_both_are_cited()
    {
        var chart = new ChartBuilder();
        var note = chart.Note("Fevers at home for three days.", hoursAgo: 2);
        var temperature = chart.Lab("8310-5", 36.9, "Cel", hoursAgo: 1, category: "vital-signs");
        var fever = new Finding
        {
            Id = "fever", Name = "fever", Kind = FindingKind.Vital,
            Detection = new Detection
            {
                Observations = [new ObservationCriterion { Loinc = ["8310-5"], Comparator = ">=", Threshold = 38, Unit = "Cel" }],
                Phrases = ["fever"],
            },
        };

        var found = Extract(chart, With(fever))["fever"]!;

        Assert.Equal(FindingState.Absent, found.State);
        Assert.Equal([temperature, note], found.Citations.Select(c => c.EventId));
        Assert.Contains("outweighed", found.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(30, 2, FindingState.Absent)]   // denied in the newer note
    [InlineData(2, 30, FindingState.Present)]  // affirmed in the newer note
    public void Between_notes_present_beats_absent_only_when_more_recent(double affirmedHoursAgo, double deniedHoursAgo, FindingState expected)
    {
        var chart = new ChartBuilder();
        var affirmed = chart.Note("Presents with chest pain.", affirmedHoursAgo);
        var denied = chart.Note("Denies chest pain.", deniedHoursAgo);

        var found = Extract(chart, With(ChestPain))["chest-pain"]!;

        Assert.Equal(expected, found.State);
        Assert.Equal([affirmed, denied], found.Citations.Select(c => c.EventId).Order());
    }

    [Fact]
    public void Within_one_note_an_affirmation_outweighs_the_denial_of_a_variant()
    {
        var chart = new ChartBuilder();
        chart.Note("Sharp right-sided chest pain since this morning. No exertional chest pain before today.", hoursAgo: 1);

        Assert.Equal(FindingState.Present, Extract(chart, With(ChestPain)).StateOf("chest-pain"));
    }

    [Fact]
    public void A_record_without_events_yields_only_its_demographics()
    {
        var chart = new ChartBuilder { Sex = "female" };
        var female = new Finding { Id = "female", Name = "female", Kind = FindingKind.Demographic, Detection = new Detection { Demographic = new DemographicCriterion { Sex = "female" } } };

        var set = new FindingExtractor(With(female, ChestPain, Observation("troponin", TroponinI, ">", 0.04, "ng/mL"))).Extract(chart.Build());

        var only = Assert.Single(set.Findings);
        Assert.Equal(("female", FindingState.Present), (only.FindingId, only.State));
        Assert.Empty(only.Citations);
    }

    [Fact]
    public void Findings_without_any_evidence_are_left_out()
    {
        var chart = new ChartBuilder();
        chart.Note("Feels well.", hoursAgo: 1);

        var set = Extract(chart, With(ChestPain, Observation("troponin", TroponinI, ">", 0.04, "ng/mL")));

        Assert.Empty(set.Findings);
        Assert.Equal(FindingState.Unknown, set.StateOf("troponin"));
    }
}
