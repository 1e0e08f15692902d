using System.Text.Json;
using ClinicianPortal.Shared.Reasoning.Orchestration;

namespace ClinicianPortal.Validation;

/// <summary>Reads the case review an audit record keeps (its output JSON, written by AuditedCaseReview).</summary>
public static class AuditedOutput
{
    /// <returns>The review, or null when the JSON is not a case review (then the item cannot be shown for rating).</returns>
    public static CaseReviewResult? ReadReview(string outputJson)
    {
        try
        {
            var review = JsonSerializer.Deserialize<CaseReviewResult>(outputJson, CaseReviewJson.Options);
            return review is { Summary.Summary: not null, Differential: not null } ? review : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The chart entries the review's summary cites (event ids), for labelling its citations.</summary>
    public static IReadOnlyList<string> CitedEventIds(CaseReviewResult review)
    {
        ArgumentNullException.ThrowIfNull(review);
        return [.. review.Summary.Summary.Sections.SelectMany(s => s.Sentences).SelectMany(s => s.Citations)
            .Where(c => c.Kind == Shared.Reasoning.Summary.CitationKind.Event).Select(c => c.Id).Distinct(StringComparer.Ordinal)];
    }
}
