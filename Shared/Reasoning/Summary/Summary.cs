using System.Text.Json.Serialization;

namespace ClinicianPortal.Shared.Reasoning.Summary;

/// <summary>
/// A problem-oriented, grounded summary of one patient's record as of <see cref="AsOf"/>. Every sentence
/// cites the chart entries it rests on, so the UI can link each claim and <see cref="SummaryGrounding"/>
/// can verify it (including prose rewritten by a language model).
/// </summary>
public sealed record CaseSummary(
    string PatientId,
    DateTimeOffset AsOf,
    string GeneratorVersion,
    IReadOnlyList<SummarySection> Sections);

/// <summary>One section; <see cref="Key"/> is stable ("one-liner", "problems"...) for the UI and the orchestration layer.</summary>
public sealed record SummarySection(string Key, string Title, IReadOnlyList<SummarySentence> Sentences);

/// <summary>One statement and what supports it.</summary>
public sealed record SummarySentence(string Text, IReadOnlyList<Citation> Citations);

/// <summary>What a citation points at: a chart event, the patient's demographics, or a knowledge-base reference.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CitationKind>))]
public enum CitationKind
{
    Event,
    Patient,
    Reference,
}

/// <summary>A clickable pointer: an event id, the patient id, or a knowledge-base reference id.</summary>
public sealed record Citation(CitationKind Kind, string Id)
{
    public static Citation Event(string id) => new(CitationKind.Event, id);
    public static Citation Patient(string id) => new(CitationKind.Patient, id);
    public static Citation Reference(string id) => new(CitationKind.Reference, id);
}
