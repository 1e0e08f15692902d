using ClinicianPortal.Shared.Governance.ModelCards;
using ClinicianPortal.Shared.Knowledge;
using ClinicianPortal.Shared.Reasoning.Differential;

namespace ClinicianPortal.Tests.Governance.ModelCards;

public sealed class ModelCardTests
{
    private static readonly KnowledgeBase Kb = KnowledgeBase.LoadEmbedded();
    private static readonly DateOnly Released = new(2026, 11, 22);

    [Fact]
    public void The_differential_card_is_complete_and_states_how_many_weights_are_published_as_the_knowledge_base_has_them()
    {
        var card = DifferentialModelCard.For(DifferentialSpec.From(Kb), Released);

        Assert.Empty(ModelCardValidator.Problems(card));
        // Counted here from the knowledge base files, independently of the card's own code.
        var entries = Kb.Conditions.SelectMany(c => c.Findings).ToList();
        var published = entries.Count(e => e.Source == ConditionFinding.Published);
        Assert.Contains(card.RisksAndLimitations, r => r.StartsWith($"Only {published} of {entries.Count} likelihood-ratio weights are published", StringComparison.Ordinal));
        Assert.Contains(card.RisksAndLimitations, r => r.Contains("Not validated prospectively", StringComparison.Ordinal));
        Assert.Equal(DifferentialSpec.From(Kb).Version, card.Version);
        var cited = entries.Where(e => e.Reference is not null).Select(e => e.Reference).Distinct().Count();
        Assert.Equal(cited, card.Citations.Count);
        Assert.All(card.Citations, c => Assert.False(string.IsNullOrWhiteSpace(c.Title)));
    }

    [Fact]
    public void A_candidates_card_has_its_own_version_and_says_how_it_differs()
    {
        var candidate = DifferentialModelCard.For(DifferentialSpec.From(Kb, estimateWeight: 0.5), Released);

        Assert.Empty(ModelCardValidator.Problems(candidate));
        Assert.EndsWith(".est50", candidate.Version, StringComparison.Ordinal);
        Assert.Contains("multiplied by 0.5", candidate.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_card_is_shown_under_the_HTI_1_headings_in_order()
    {
        var headings = DifferentialModelCard.For(DifferentialSpec.From(Kb), Released).Sections().Select(s => s.Heading).ToList();

        string[] required =
        [
            "Intended use", "Intended users", "Intended patient population", "Cautioned uses", "Out-of-scope uses", "Risks and limitations",
            "Development data (training data) and its provenance", "Validation process", "Validation results", "Fairness and bias assessment",
            "Update and monitoring schedule", "Bibliographic citations of the evidence", "Developer", "Funding source", "Release and revision dates",
        ];
        Assert.Equal(required, headings.Where(required.Contains));
    }

    [Fact]
    public void A_card_without_required_attributes_is_refused_naming_each_one()
    {
        var card = DifferentialModelCard.For(DifferentialSpec.From(Kb), Released) with
        {
            IntendedUse = " ",
            OutOfScopeUses = [],
            Citations = [new Citation("", "NEJM", 2020)],
            Funding = "",
        };

        var problems = ModelCardValidator.Problems(card);

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("Intended Use", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Out Of Scope Uses", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Title", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Funding", StringComparison.Ordinal));
    }

    [Fact]
    public void A_card_reads_back_from_its_json_and_bad_json_is_a_clear_error()
    {
        var card = DifferentialModelCard.For(DifferentialSpec.From(Kb), Released);

        var back = ModelCard.Parse(card.ToJson());

        Assert.Equal(card.ToJson(), back.ToJson());
        Assert.Equal(Released, back.ReleaseDate);
        var e = Assert.Throws<InvalidDataException>(() => ModelCard.Parse("{\"modelId\": 3"));
        Assert.Contains("not valid JSON for a model card", e.Message, StringComparison.Ordinal);
    }
}
