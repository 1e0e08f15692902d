using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;

namespace ClinicianPortal.Shared.Governance.ModelCards;

/// <summary>A bibliographic citation of the evidence a model rests on.</summary>
public sealed record Citation(string Title, string Source, int Year, string? Doi = null, string? Url = null)
{
    public override string ToString() => $"{Title}. {Source}, {Year}." + (Doi is null ? "" : $" doi:{Doi}");
}

/// <summary>
/// What a model version is for and how far it can be trusted, in the terms of the ONC HTI-1 rule's source attributes
/// (45 CFR 170.315(b)(11)): those of predictive decision support interventions (purpose, population, users, cautioned
/// and out-of-scope uses, development data, validation, fairness, maintenance) and those of evidence-based ones
/// (citations, developer, funding, release and revision dates). Stored with the version in model_versions; the
/// validation results are filled in from the portal's ratings when the card is shown.
/// </summary>
public sealed record ModelCard
{
    public required string ModelId { get; init; }
    public required string Version { get; init; }
    public required string Name { get; init; }
    /// <summary>What the intervention outputs, and from which inputs.</summary>
    public required string Output { get; init; }
    public required string InputFeatures { get; init; }

    // Purpose
    public required string IntendedUse { get; init; }
    public required string IntendedUsers { get; init; }
    public required string TargetPopulation { get; init; }
    /// <summary>Uses that need particular care (allowed, but read the limitations first).</summary>
    public IReadOnlyList<string> CautionedUses { get; init; } = [];
    public IReadOnlyList<string> OutOfScopeUses { get; init; } = [];

    // Development, validation, fairness
    public IReadOnlyList<string> RisksAndLimitations { get; init; } = [];
    /// <summary>The data the model was trained on or compiled from, and its provenance.</summary>
    public required string TrainingData { get; init; }
    public required string ValidationProcess { get; init; }
    /// <summary>The results known when the card was written; the portal adds the live ratings beside it.</summary>
    public required string ValidationResults { get; init; }
    public required string FairnessAssessment { get; init; }
    public required string UpdateAndMonitoring { get; init; }

    // Evidence-based attributes
    public IReadOnlyList<Citation> Citations { get; init; } = [];
    public required string Developer { get; init; }
    /// <summary>"None" when there is none: the attribute is required, a source is not.</summary>
    public required string Funding { get; init; }
    public required DateOnly ReleaseDate { get; init; }
    public required DateOnly RevisionDate { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <exception cref="InvalidDataException">Not a model card, or required attributes are missing (the message lists them).</exception>
    public static ModelCard Parse(string json)
    {
        ModelCard? card;
        try
        {
            card = JsonSerializer.Deserialize<ModelCard>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The model card is not valid JSON for a model card: " + e.Message, e);
        }
        if (card is null) throw new InvalidDataException("The model card is empty.");
        return card;
    }

    /// <summary>The card as headed sections, in the order HTI-1 lists the attributes (the admin page and the clinicians' view show these).</summary>
    public IReadOnlyList<ModelCardSection> Sections() =>
    [
        new("Details and output of the intervention", [$"{Name} ({ModelId} {Version})", Output, "Input features: " + InputFeatures]),
        new("Intended use", [IntendedUse]),
        new("Intended users", [IntendedUsers]),
        new("Intended patient population", [TargetPopulation]),
        new("Cautioned uses", CautionedUses),
        new("Out-of-scope uses", OutOfScopeUses),
        new("Risks and limitations", RisksAndLimitations),
        new("Development data (training data) and its provenance", [TrainingData]),
        new("Validation process", [ValidationProcess]),
        new("Validation results", [ValidationResults]),
        new("Fairness and bias assessment", [FairnessAssessment]),
        new("Update and monitoring schedule", [UpdateAndMonitoring]),
        new("Bibliographic citations of the evidence", [.. Citations.Select(c => c.ToString())]),
        new("Developer", [Developer]),
        new("Funding source", [Funding]),
        new("Release and revision dates", [$"Released {ReleaseDate:yyyy-MM-dd}, card revised {RevisionDate:yyyy-MM-dd}"]),
    ];
}

public sealed record ModelCardSection(string Heading, IReadOnlyList<string> Paragraphs);

/// <summary>Every HTI-1 source attribute the portal requires of a card is present.</summary>
public sealed class ModelCardValidator : AbstractValidator<ModelCard>
{
    public static readonly ModelCardValidator Instance = new();

    public ModelCardValidator()
    {
        RuleFor(c => c.ModelId).NotEmpty();
        RuleFor(c => c.Version).NotEmpty();
        RuleFor(c => c.Name).NotEmpty();
        RuleFor(c => c.Output).NotEmpty();
        RuleFor(c => c.InputFeatures).NotEmpty();
        RuleFor(c => c.IntendedUse).NotEmpty();
        RuleFor(c => c.IntendedUsers).NotEmpty();
        RuleFor(c => c.TargetPopulation).NotEmpty();
        RuleFor(c => c.OutOfScopeUses).NotEmpty().WithMessage("'Out Of Scope Uses' must list at least one use.");
        RuleForEach(c => c.OutOfScopeUses).NotEmpty();
        RuleForEach(c => c.CautionedUses).NotEmpty();
        RuleFor(c => c.RisksAndLimitations).NotEmpty().WithMessage("'Risks And Limitations' must list at least one.");
        RuleForEach(c => c.RisksAndLimitations).NotEmpty();
        RuleFor(c => c.TrainingData).NotEmpty();
        RuleFor(c => c.ValidationProcess).NotEmpty();
        RuleFor(c => c.ValidationResults).NotEmpty();
        RuleFor(c => c.FairnessAssessment).NotEmpty();
        RuleFor(c => c.UpdateAndMonitoring).NotEmpty();
        RuleFor(c => c.Citations).NotEmpty().WithMessage("'Citations' must cite the evidence.");
        RuleForEach(c => c.Citations).ChildRules(c =>
        {
            c.RuleFor(x => x.Title).NotEmpty();
            c.RuleFor(x => x.Source).NotEmpty();
            c.RuleFor(x => x.Year).InclusiveBetween(1800, 2200);
        });
        RuleFor(c => c.Developer).NotEmpty();
        RuleFor(c => c.Funding).NotEmpty().WithMessage("'Funding' must name the source, or say \"None\".");
        RuleFor(c => c.ReleaseDate).NotEqual(default(DateOnly));
        RuleFor(c => c.RevisionDate).NotEqual(default(DateOnly));
    }

    /// <summary>The problems of <paramref name="card"/> in one line each (empty when complete).</summary>
    public static IReadOnlyList<string> Problems(ModelCard card) => [.. Instance.Validate(card).Errors.Select(e => e.ErrorMessage)];
}
