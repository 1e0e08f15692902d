using ClinicianPortal.Shared.Knowledge;

namespace ClinicianPortal.Tests.Knowledge;

public class ConditionLookupTests
{
    private static readonly Lazy<KnowledgeBase> Kb = new(KnowledgeBase.LoadEmbedded);

    [Theory]
    [InlineData("heart attack", "acute-myocardial-infarction")]
    [InlineData("Myocardial Infarction", "acute-myocardial-infarction")]
    [InlineData("STEMI", "acute-myocardial-infarction")]
    [InlineData("PE", "pulmonary-embolism")]
    [InlineData("pulmonary embolus", "pulmonary-embolism")]
    [InlineData("Pulmonary Embolism.", "pulmonary-embolism")]
    [InlineData("pulmonary emboli", "pulmonary-embolism")]
    [InlineData("DVT", "deep-vein-thrombosis")]
    [InlineData("Deep Venous Thrombosis", "deep-vein-thrombosis")]
    [InlineData("CHF", "acute-heart-failure")]
    [InlineData("AFib", "atrial-fibrillation")]
    [InlineData("COPD", "copd-exacerbation")]
    [InlineData("Chronic obstructive pulmonary disease (COPD)", "copd-exacerbation")]
    [InlineData("flu", "influenza")]
    [InlineData("COVID 19", "covid-19")]
    [InlineData("Typical Pneumonia", "community-acquired-pneumonia")]
    [InlineData("Upper GI bleeding", "upper-gi-bleeding")]
    [InlineData("acute MI", "acute-myocardial-infarction")]
    [InlineData("UTIs", "cystitis")]
    [InlineData("Meniere", "menieres-disease")]
    [InlineData("Guillain-Barre", "guillain-barre-syndrome")]
    public void Conditions_are_found_by_common_alternative_names(string name, string expectedId) =>
        Assert.Equal(expectedId, Kb.Value.FindByName(name)?.Id);

    [Fact]
    public void A_bare_name_shared_by_two_conditions_matches_neither()
    {
        // "Acute pancreatitis" and "Chronic pancreatitis" both exist; "pancreatitis disease" must not guess.
        var kb = Kb.Value;
        Assert.Equal("acute-pancreatitis", kb.FindByName("acute pancreatitis")?.Id);
        Assert.Equal("chronic-pancreatitis", kb.FindByName("chronic pancreatitis")?.Id);
        var bareKb = new KnowledgeBase(
            [SmallKnowledgeBase.Pe() with { Id = "a", Name = "Acute widget syndrome", Synonyms = [] },
             SmallKnowledgeBase.Pe() with { Id = "b", Name = "Widget disease", Synonyms = [] }], [], [], []);
        Assert.Null(bareKb.FindByName("widget"));
        Assert.Equal("a", bareKb.FindByName("acute widget syndrome")?.Id);
    }

    [Fact]
    public void Unknown_names_find_nothing() => Assert.Null(Kb.Value.FindByName("made-up syndrome of nowhere"));

    [Theory]
    [InlineData("Iron-deficiency anaemia", "iron deficiency anemia")]
    [InlineData("Haemorrhagic strokes", "hemorrhagic stroke")]
    [InlineData("Crohn's disease", "crohn disease")]
    [InlineData("Guillain–Barré syndrome", "guillain barre syndrome")]
    [InlineData("Oesophageal varices", "esophageal varices")]
    [InlineData("Diabetes mellitus", "diabetes mellitus")]
    [InlineData("Ischaemic stroke", "ischemic stroke")]
    public void Names_are_normalised_for_case_punctuation_spelling_and_plurals(string raw, string expected) =>
        Assert.Equal(expected, ConditionNames.Normalize(raw));
}
