using ClinicianPortal.Shared.Reasoning.Findings;

namespace ClinicianPortal.Tests.Reasoning.Findings;

public sealed class PhraseMatcherTests
{
    [Theory]
    // affirmed
    [InlineData("Presents with two hours of chest pain.", "chest pain", MentionContext.Affirmed)]
    [InlineData("Chief complaint: chest pain.", "chest pain", MentionContext.Affirmed)]
    [InlineData("CHEST PAIN radiating to the left arm", "chest pain", MentionContext.Affirmed)]
    [InlineData("History: three days of chest pain.", "chest pain", MentionContext.Affirmed)]
    [InlineData("Social history: current smoker, 20 a day.", "smoker", MentionContext.Affirmed)]
    [InlineData("Severe pain in the chest; dyspnea on exertion.", "dyspnea", MentionContext.Affirmed)]
    [InlineData("No change in the chest pain since arrival.", "chest pain", MentionContext.Affirmed)]
    [InlineData("No fever. Chest pain since this morning.", "chest pain", MentionContext.Affirmed)]
    [InlineData("No fever but chest pain since this morning.", "chest pain", MentionContext.Affirmed)]
    [InlineData("Denies fever, however reports chest pain.", "chest pain", MentionContext.Affirmed)]
    [InlineData("Bacteraemia, gram negative rods.", "bacteremia", MentionContext.Affirmed)]
    // negated: pre-triggers, lists, post-triggers
    [InlineData("Denies chest pain.", "chest pain", MentionContext.Negated)]
    [InlineData("No fever.", "fever", MentionContext.Negated)]
    [InlineData("Breathing comfortably without dyspnea.", "dyspnea", MentionContext.Negated)]
    [InlineData("Denies fever, productive cough or haemoptysis.", "hemoptysis", MentionContext.Negated)]
    [InlineData("Denies fever, productive cough or haemoptysis.", "productive cough", MentionContext.Negated)]
    [InlineData("Patient is negative for chest pain.", "chest pain", MentionContext.Negated)]
    [InlineData("The pain is not pleuritic and not positional.", "pleuritic", MentionContext.Negated)]
    [InlineData("No history of coronary artery disease, DVT or PE.", "coronary artery disease", MentionContext.Negated)]
    [InlineData("Never smoker.", "smoker", MentionContext.Negated)]
    [InlineData("Pulmonary embolism was ruled out.", "pulmonary embolism", MentionContext.Negated)]
    [InlineData("Chest pain free since admission.", "chest pain", MentionContext.Negated)]
    [InlineData("No evidence of pneumothorax on the film.", "pneumothorax", MentionContext.Negated)]
    [InlineData("No urinary symptoms. Avoiding NSAIDs.", "nsaid", MentionContext.Negated)]
    // historical
    [InlineData("History of DVT (2014), treated with warfarin.", "dvt", MentionContext.Historical)]
    [InlineData("Prior MI in 2015.", "mi", MentionContext.Historical)]
    [InlineData("h/o atrial fibrillation", "atrial fibrillation", MentionContext.Historical)]
    [InlineData("Former smoker, quit 8 years ago.", "smoker", MentionContext.Historical)]
    [InlineData("Had pneumonia two years ago.", "pneumonia", MentionContext.Historical)]
    [InlineData("Past medical history: hypertension, type 2 diabetes.", "hypertension", MentionContext.Historical)]
    [InlineData("Allergies: penicillin (urticaria).", "urticaria", MentionContext.Historical)]
    [InlineData("Status post CABG.", "cabg", MentionContext.Historical)]
    [InlineData("Stopped ibuprofen last month.", "ibuprofen", MentionContext.Historical)]
    // family: not the patient's
    [InlineData("Mother had breast cancer.", "breast cancer", MentionContext.Family)]
    [InlineData("Breast cancer in her maternal aunt.", "breast cancer", MentionContext.Family)]
    [InlineData("Family history: father with MI at 50.", "mi", MentionContext.Family)]
    [InlineData("Family history of colon cancer.", "colon cancer", MentionContext.Family)]
    // a phrase about relatives is the patient's risk factor
    [InlineData("Family history of cancer in her mother.", "family history of cancer", MentionContext.Affirmed)]
    [InlineData("No family history of cancer.", "family history of cancer", MentionContext.Negated)]
    // hypothetical: considered, not found
    [InlineData("CT to rule out PE.", "pe", MentionContext.Hypothetical)]
    [InlineData("Admit to evaluate for myocardial infarction.", "myocardial infarction", MentionContext.Hypothetical)]
    [InlineData("?PE", "pe", MentionContext.Hypothetical)]
    [InlineData("Could this be pneumonia?", "pneumonia", MentionContext.Hypothetical)]
    [InlineData("Differential diagnosis includes acute coronary syndrome, pulmonary embolism, aortic dissection.", "aortic dissection", MentionContext.Hypothetical)]
    [InlineData("Return if chest pain recurs.", "chest pain", MentionContext.Hypothetical)]
    [InlineData("Possible pneumonia on the film.", "pneumonia", MentionContext.Hypothetical)]
    [InlineData("Plan: serial troponins, anticoagulation if PE confirmed.", "pe", MentionContext.Hypothetical)]
    public void Classifies_a_phrase_in_its_sentence(string text, string phrase, MentionContext expected)
    {
        Assert.Equal(expected, PhraseMatcher.Classify(text, phrase));
    }

    [Theory]
    [InlineData("Increasing breathlessness over four days.", "breathless")]
    [InlineData("Right leg oedema to the knee.", "edema")]
    [InlineData("Two episodes of haematemesis.", "hematemesis")]
    [InlineData("Rigors and night sweats.", "night sweat")]
    [InlineData("She was immobilised after surgery.", "immobilized")]
    [InlineData("Raised D-dimer.", "raised d-dimer")]
    [InlineData("Palpitations at rest.", "palpitation")]
    public void Matches_simple_morphological_and_spelling_variants(string text, string phrase)
    {
        Assert.Equal(MentionContext.Affirmed, PhraseMatcher.Classify(text, phrase));
    }

    [Theory]
    [InlineData("Feverish since Monday.", "fever")]
    [InlineData("The sobbing child.", "sob")]
    [InlineData("Painless jaundice.", "pain")]
    [InlineData("Chest radiograph normal; pain in the left knee.", "chest pain")]
    public void Matches_only_whole_words(string text, string phrase)
    {
        Assert.Null(PhraseMatcher.Classify(text, phrase));
    }

    [Fact]
    public void Negation_does_not_reach_past_the_sentence()
    {
        var mentions = new PhraseMatcher([("cp", "chest pain"), ("fever", "fever")]).Find("No fever. Chest pain since this morning.");

        Assert.Equal(MentionContext.Negated, Assert.Single(mentions, m => m.Key == "fever").Context);
        Assert.Equal(MentionContext.Affirmed, Assert.Single(mentions, m => m.Key == "cp").Context);
    }

    [Fact]
    public void A_section_header_sets_the_context_until_the_next_header()
    {
        const string note = "Past medical history: hypertension.\nMedications: amlodipine.\nAssessment: hypertension, poorly controlled.";
        var mentions = new PhraseMatcher([("htn", "hypertension")]).Find(note);

        Assert.Equal([MentionContext.Historical, MentionContext.Affirmed], mentions.Select(m => m.Context));
    }

    [Fact]
    public void A_mention_carries_its_sentence_and_position()
    {
        const string note = "Chief complaint: cough.\nHistory of present illness: Four days of productive cough. Denies haemoptysis.";
        var mentions = new PhraseMatcher([("cough", "productive cough"), ("haemoptysis", "haemoptysis")]).Find(note);

        var cough = Assert.Single(mentions, m => m.Key == "cough");
        Assert.Equal("Four days of productive cough.", cough.Sentence);
        Assert.Equal("productive cough", note.Substring(cough.Start, cough.Length));
        Assert.Equal(MentionContext.Negated, Assert.Single(mentions, m => m.Key == "haemoptysis").Context);
    }

    [Fact]
    public void A_phrase_that_names_the_past_is_flagged_as_such()
    {
        var mention = Assert.Single(new PhraseMatcher([("vte", "history of dvt")]).Find("She has a history of DVT of the left leg."));

        Assert.Equal(MentionContext.Affirmed, mention.Context);
        Assert.True(mention.PhraseIsHistorical);
    }
}
