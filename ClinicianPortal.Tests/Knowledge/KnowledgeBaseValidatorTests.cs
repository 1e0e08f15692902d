using ClinicianPortal.Shared.Knowledge;

namespace ClinicianPortal.Tests.Knowledge;

public class KnowledgeBaseValidatorTests
{
    private static List<string> Errors(SmallKnowledgeBase kb) =>
        new KnowledgeBaseValidator().Validate(kb.Build()).Errors.Select(e => e.ErrorMessage).ToList();

    private static void AssertSingleError(SmallKnowledgeBase kb, string expectedFragment)
    {
        var errors = Errors(kb);
        Assert.True(errors.Count >= 1, "expected an error containing: " + expectedFragment);
        Assert.Contains(errors, e => e.Contains(expectedFragment, StringComparison.Ordinal));
    }

    [Fact]
    public void The_small_valid_knowledge_base_passes() => Assert.Empty(Errors(SmallKnowledgeBase.Valid()));

    [Fact]
    public void Duplicate_condition_ids_are_reported()
    {
        var kb = SmallKnowledgeBase.Valid();
        kb = kb with { Conditions = [.. kb.Conditions, SmallKnowledgeBase.Pe() with { Synonyms = [], Name = "Another name" }] };
        AssertSingleError(kb, "Duplicate condition id 'pulmonary-embolism'");
    }

    [Fact]
    public void Duplicate_finding_ids_are_reported()
    {
        var kb = SmallKnowledgeBase.Valid();
        kb = kb with { Findings = [.. kb.Findings, kb.Findings[0]] };
        AssertSingleError(kb, "Duplicate finding id 'dyspnoea'");
    }

    [Fact]
    public void A_condition_citing_a_missing_finding_is_reported() =>
        AssertSingleError(SmallKnowledgeBase.Valid().WithCondition("pneumonia", c => c with
        {
            Findings = [.. c.Findings, new ConditionFinding { Finding = "no-such-finding", LrPositive = 2, LrNegative = 0.5, Source = "estimate" }],
        }), "finding 'no-such-finding': finding does not exist");

    [Fact]
    public void A_missing_test_or_reference_is_reported()
    {
        var kb = SmallKnowledgeBase.Valid().WithCondition("pneumonia", c => c with
        {
            Tests = [new RecommendedTest { Test = "no-such-test", Distinguishes = "x" }],
            References = ["no-such-reference"],
        });
        var errors = Errors(kb);
        Assert.Contains(errors, e => e.Contains("test 'no-such-test' does not exist", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("reference 'no-such-reference' does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void A_published_value_without_a_reference_is_reported() =>
        AssertSingleError(SmallKnowledgeBase.Valid().WithCondition("pneumonia", c => c with
        {
            Findings = [c.Findings[0] with { Source = "published", Reference = null }, .. c.Findings.Skip(1)],
        }), "a published value needs a reference");

    private static SmallKnowledgeBase WithPassage(ReferencePassage passage)
    {
        var kb = SmallKnowledgeBase.Valid();
        return kb with { References = [kb.References[0] with { Passages = [passage] }] };
    }

    [Fact]
    public void A_paraphrased_passage_for_an_existing_condition_passes() =>
        Assert.Empty(Errors(WithPassage(new ReferencePassage { Condition = "pulmonary-embolism", Text = "A normal D-dimer excludes PE at low probability.", Paraphrase = true })));

    [Fact]
    public void A_passage_for_a_condition_that_does_not_exist_is_reported() =>
        AssertSingleError(WithPassage(new ReferencePassage { Condition = "no-such-condition", Text = "Something.", Paraphrase = true }),
            "passage condition 'no-such-condition' does not exist");

    [Fact]
    public void An_empty_passage_is_reported() =>
        AssertSingleError(WithPassage(new ReferencePassage { Condition = "pulmonary-embolism", Text = "  ", Paraphrase = true }),
            "a passage for 'pulmonary-embolism' has no text");

    [Fact]
    public void A_passage_not_flagged_as_a_paraphrase_is_reported() =>
        AssertSingleError(WithPassage(new ReferencePassage { Condition = "pulmonary-embolism", Text = "Quoted abstract.", Paraphrase = false }),
            "must be the project's own paraphrase");

    [Fact]
    public void An_orphan_finding_is_reported()
    {
        var kb = SmallKnowledgeBase.Valid();
        kb = kb with { Findings = [.. kb.Findings, new Finding { Id = "unused", Name = "Unused", Kind = FindingKind.Sign, Detection = new Detection { Phrases = ["unused"] } }] };
        AssertSingleError(kb, "Finding 'unused' is not used by any condition");
    }

    [Fact]
    public void A_finding_listed_twice_in_a_condition_is_reported() =>
        AssertSingleError(SmallKnowledgeBase.Valid().WithCondition("pneumonia", c => c with { Findings = [.. c.Findings, c.Findings[0]] }),
            "finding 'fever' is listed 2 times");

    [Theory]
    [InlineData(0.0, 0.8)]
    [InlineData(1.0, 0.8)]
    [InlineData(0.5, 1.2)]
    public void Sensitivity_and_specificity_outside_zero_to_one_are_reported(double sensitivity, double specificity) =>
        AssertSingleError(SmallKnowledgeBase.Valid().WithCondition("pulmonary-embolism", c => c with
        {
            Findings = [.. c.Findings.Select(f => f.Finding == "tachycardia" ? f with { Sensitivity = sensitivity, Specificity = specificity } : f)],
        }), "must be within (0, 1)");

    [Fact]
    public void A_non_positive_likelihood_ratio_is_reported() =>
        AssertSingleError(SmallKnowledgeBase.Valid().WithCondition("pneumonia", c => c with
        {
            Findings = [c.Findings[0] with { LrNegative = 0 }, .. c.Findings.Skip(1)],
        }), "LR− must be > 0");

    [Fact]
    public void A_supporting_finding_with_LR_plus_below_one_must_be_marked_refuting()
    {
        var supporting = SmallKnowledgeBase.Valid().WithCondition("pneumonia", c => c with
        {
            Findings = [c.Findings[0] with { LrPositive = 0.5, LrNegative = 1.2 }, .. c.Findings.Skip(1)],
        });
        AssertSingleError(supporting, "a supporting finding needs LR+ ≥ 1 and LR− ≤ 1");

        var marked = SmallKnowledgeBase.Valid().WithCondition("pneumonia", c => c with
        {
            Findings = [c.Findings[0] with { LrPositive = 0.5, LrNegative = 1.2, Effect = FindingEffect.Refutes }, .. c.Findings.Skip(1)],
        });
        Assert.Empty(Errors(marked));
    }

    [Fact]
    public void A_refuting_finding_with_LR_plus_above_one_is_reported() =>
        AssertSingleError(SmallKnowledgeBase.Valid().WithCondition("pulmonary-embolism", c => c with
        {
            Findings = [.. c.Findings.Select(f => f.Finding == "fever" ? f with { LrPositive = 2, LrNegative = 0.5 } : f)],
        }), "a refuting finding needs LR+ ≤ 1");

    [Fact]
    public void A_finding_weight_without_likelihood_ratios_is_reported() =>
        AssertSingleError(SmallKnowledgeBase.Valid().WithCondition("pneumonia", c => c with
        {
            Findings = [c.Findings[0] with { LrPositive = null }, .. c.Findings.Skip(1)],
        }), "needs LR+ and LR−");

    [Fact]
    public void A_prevalence_outside_zero_to_one_thousand_is_reported() =>
        AssertSingleError(SmallKnowledgeBase.Valid().WithCondition("pneumonia", c => c with
        {
            Prevalence = c.Prevalence with { PrimaryCare = 0 },
        }), "prevalence in primary care must be within (0, 1000)");

    [Fact]
    public void A_threshold_without_a_unit_is_reported() =>
        AssertSingleError(SmallKnowledgeBase.Valid().WithFinding("tachycardia", f => f with
        {
            Detection = new Detection { Observations = [new ObservationCriterion { Loinc = ["8867-4"], Comparator = ">", Threshold = 100 }] },
        }), "threshold 100 needs a UCUM unit");

    [Fact]
    public void A_trend_without_a_unit_or_window_is_reported()
    {
        var kb = SmallKnowledgeBase.Valid().WithFinding("egfr-declining", f => f with
        {
            Detection = new Detection { Trends = [new TrendCriterion { Loinc = ["2160-0"], Measure = TrendMeasure.Change, Comparator = ">=", Threshold = 0.3, Unit = " " }] },
        });
        var errors = Errors(kb);
        Assert.Contains(errors, e => e.Contains("trend threshold 0.3 needs a UCUM unit", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("needs a window in hours", StringComparison.Ordinal));
    }

    [Fact]
    public void A_condition_with_too_few_findings_or_no_reference_is_reported()
    {
        var errors = Errors(SmallKnowledgeBase.Valid().WithCondition("pneumonia", c => c with { Findings = c.Findings.Take(2).ToList(), References = [] }));
        Assert.Contains(errors, e => e.Contains("needs at least 3 findings, has 2", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("needs at least one reference", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("I2", "ICD-10-CM code 'I2' is malformed")]
    [InlineData("U26.0000X", "ICD-10-CM code 'U26.0000X' is malformed")]
    public void Malformed_icd10_codes_are_reported(string code, string message) =>
        AssertSingleError(SmallKnowledgeBase.Valid().WithCondition("pneumonia", c => c with { Codes = new Codes { Icd10 = [code] } }), message);

    [Fact]
    public void A_snomed_code_with_a_wrong_check_digit_is_reported() =>
        AssertSingleError(SmallKnowledgeBase.Valid().WithCondition("pulmonary-embolism", c => c with
        {
            Codes = c.Codes with { Snomed = ["59282004"] },
        }), "SNOMED CT code '59282004' is malformed");

    [Fact]
    public void A_loinc_code_with_a_wrong_check_digit_is_reported() =>
        AssertSingleError(SmallKnowledgeBase.Valid().WithFinding("tachycardia", f => f with
        {
            Detection = new Detection { Observations = [new ObservationCriterion { Loinc = ["8867-5"], Comparator = ">", Threshold = 100, Unit = "/min" }] },
        }), "LOINC code '8867-5' is malformed");

    [Fact]
    public void Colliding_synonyms_between_conditions_are_reported() =>
        AssertSingleError(SmallKnowledgeBase.Valid().WithCondition("pneumonia", c => c with { Synonyms = [.. c.Synonyms, "Pulmonary Emboli"] }),
            "Synonym 'Pulmonary Emboli' of condition 'pneumonia' collides with condition 'pulmonary-embolism'");

    [Fact]
    public void Nested_thresholds_on_the_same_observation_in_one_condition_are_reported()
    {
        var kb = SmallKnowledgeBase.Valid();
        var severe = new Finding
        {
            Id = "severe-tachycardia", Name = "Heart rate over 130/min", Kind = FindingKind.Vital,
            Detection = new Detection { Observations = [new ObservationCriterion { Loinc = ["8867-4"], Comparator = ">=", Threshold = 130, Unit = "/min" }] },
        };
        kb = kb with { Findings = [.. kb.Findings, severe] };
        kb = kb.WithCondition("pulmonary-embolism", c => c with
        {
            Findings = [.. c.Findings, new ConditionFinding { Finding = "severe-tachycardia", LrPositive = 2, LrNegative = 0.9, Source = "estimate" }],
        });
        AssertSingleError(kb, "findings 'tachycardia' and 'severe-tachycardia' both test LOINC 8867-4 above a threshold");
    }

    [Fact]
    public void A_finding_with_no_way_to_detect_it_is_reported() =>
        AssertSingleError(SmallKnowledgeBase.Valid().WithFinding("dyspnoea", f => f with { Detection = new Detection() }),
            "says nothing about how to detect it");

    [Fact]
    public void A_reference_without_doi_or_url_or_with_a_malformed_doi_is_reported()
    {
        var kb = SmallKnowledgeBase.Valid();
        var errors = Errors(kb with { References = [kb.References[0] with { Doi = null }] });
        Assert.Contains(errors, e => e.Contains("needs a DOI or a URL", StringComparison.Ordinal));
        errors = Errors(kb with { References = [kb.References[0] with { Doi = "doi:10.1093/x" }] });
        Assert.Contains(errors, e => e.Contains("is malformed", StringComparison.Ordinal));
    }

    [Fact]
    public void Non_kebab_case_ids_are_reported() =>
        AssertSingleError(SmallKnowledgeBase.Valid() with
        {
            Tests = [new DiagnosticTest { Id = "CT_PA", Name = "CTPA", RulesIn = "PE", RulesOut = "PE" }],
        }, "Test 'CT_PA': id must be lower-case kebab case");
}
