using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Shared.Reasoning.Findings;

/// <summary>What the record says of a knowledge-base finding.</summary>
public enum FindingState
{
    /// <summary>The record neither shows nor excludes it.</summary>
    Unknown,
    /// <summary>Shown now (a coded condition, a result past the threshold, an affirmed mention in a recent note...).</summary>
    Present,
    /// <summary>Excluded: a normal result, or a negated mention ("denies chest pain").</summary>
    Absent,
}

/// <summary>A chart entry that shows a finding, and what in it does (a value, a phrase).</summary>
public sealed record FindingCitation(string EventId, string Excerpt);

/// <summary>One knowledge-base finding as found in a patient's record, with the chart entries behind it.</summary>
public sealed record ExtractedFinding(string FindingId, FindingState State, IReadOnlyList<FindingCitation> Citations, string Explanation)
{
    /// <summary>True when the evidence is a past episode ("history of DVT") rather than the current presentation.</summary>
    public bool Historical { get; init; }
}

/// <summary>All findings extracted from one patient's record; findings not listed are unknown.</summary>
public sealed record FindingSet(string PatientId, DateTimeOffset AsOf, IReadOnlyList<ExtractedFinding> Findings)
{
    public ExtractedFinding? this[string findingId] => Findings.FirstOrDefault(f => f.FindingId == findingId);

    public FindingState StateOf(string findingId) => this[findingId]?.State ?? FindingState.Unknown;
}

/// <summary>Maps a patient's record to knowledge-base findings.</summary>
public interface IFindingExtractor
{
    /// <param name="asOf">The moment of the case review (default: the record's latest event): "current" is judged against it.</param>
    FindingSet Extract(PatientRecord record, DateTimeOffset? asOf = null);
}
