using System.Globalization;
using ClinicianPortal.Shared.Reasoning.LanguageModel;
using ClinicianPortal.Shared.Reasoning.Orchestration;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Components.CaseReview;

/// <summary>How the case review's numbers and names read on screen (one place, so the panel and its tests agree).</summary>
public static class CaseReviewText
{
    /// <summary>The orchestrator's step (tool) names as a clinician reads them.</summary>
    public static string StepName(string step) => step switch
    {
        CaseTools.TimelineTool => "Reading the timeline",
        CaseTools.SummaryTool => "Writing the grounded summary",
        CaseTools.FindingsTool => "Extracting findings",
        CaseTools.DifferentialTool => "Ranking the differential",
        CaseTools.EvidenceTool => "Collecting the evidence for each candidate",
        LanguageModelOrchestrator.Step => "Asking the language model for a prose summary",
        "audit" => "Recording the review in the audit trail",
        _ => step,
    };

    /// <summary>"43%", "<1%" for what rounds to zero, never a bare "0%".</summary>
    public static string Percent(double probability) =>
        probability is > 0 and < 0.005 ? "<1%" : (probability * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Bar width for CSS: at least a sliver so that a small probability is still visible.</summary>
    public static string BarWidth(double probability) =>
        Math.Clamp(probability * 100, 0.5, 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>A contribution in log-odds with its sign: "+1.2", "−0.7" (minus sign, not hyphen).</summary>
    /// <remarks>Below 0.1 two decimals, so that a weak finding never reads as "+0.0".</remarks>
    public static string Contribution(double lnLr) =>
        (lnLr >= 0 ? "+" : "−") + Math.Abs(lnLr).ToString(Math.Abs(lnLr) < 0.095 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    /// <summary>A knowledge-base id as words: "d-dimer-elevated" → "d dimer elevated".</summary>
    public static string Humanize(string id) => id.Replace('-', ' ').Replace('_', ' ');

    public static string LikelihoodRatio(double lr) => "LR " + lr.ToString(lr >= 10 ? "0" : "0.##", CultureInfo.InvariantCulture);

    public static string Bits(double gain) => gain.ToString("0.00", CultureInfo.InvariantCulture) + " bits";

    public static string Date(DateTimeOffset? time) => time?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "undated";

    /// <summary>A chip's short text: the entry's title (cut) and its date.</summary>
    public static string ChipLabel(string title, DateTimeOffset? start) =>
        (title.Length > 28 ? title[..27] + "…" : title) + " · " + Date(start);

    public static string ChipLabel(ClinicalEvent? e, string eventId) =>
        e is null ? "event " + (eventId.Length > 8 ? eventId[..8] : eventId) : ChipLabel(e.Title, e.Start);

    public static string Short(string sha256) => sha256.Length > 12 ? sha256[..12] : sha256;

    /// <summary>Who wrote the summary shown.</summary>
    public static string SummaryAuthor(ReviewProvenance provenance) =>
        provenance.LanguageModel is { Outcome: LanguageModelOutcome.Accepted } run
            ? $"Written by the language model {run.Model}; every sentence was checked against the chart entries it cites."
            : $"Written by the deterministic summary generator ({provenance.SummaryGenerator}).";

    /// <summary>
    /// Why a configured language model's prose is not shown ("Language-model summary rejected: sentence 3 cites no chart
    /// entry; showing the deterministic summary."), or null when it is shown or none is configured.
    /// </summary>
    public static string? LanguageModelNotice(ReviewProvenance provenance) => provenance.LanguageModel switch
    {
        { Outcome: LanguageModelOutcome.Rejected, Rejections: { Count: > 0 } rejections } =>
            $"Language-model summary rejected: {Rejection(rejections[0])}{More(rejections.Count - 1)}; showing the deterministic summary.",
        { Outcome: LanguageModelOutcome.Failed } run =>
            $"Language model unavailable ({run.Failure}); showing the deterministic summary.",
        _ => null,
    };

    private static string More(int count) => count switch
    {
        0 => "",
        1 => " (and 1 more problem)",
        _ => $" (and {count} more problems)",
    };

    /// <summary>"sentence 3 cites no chart entry", "sentence 2: the number 5 is not supported by the cited entries".</summary>
    public static string Rejection(ProseRejection rejection)
    {
        const string sentencePrefix = "the sentence ";
        var where = rejection.Sentence > 0 ? "sentence " + rejection.Sentence.ToString(CultureInfo.InvariantCulture) : "the summary";
        return rejection.Reason.StartsWith(sentencePrefix, StringComparison.Ordinal) ? where + " " + rejection.Reason[sentencePrefix.Length..]
            : rejection.Reason.StartsWith("cites ", StringComparison.Ordinal) || rejection.Reason.StartsWith("has ", StringComparison.Ordinal) ? where + " " + rejection.Reason
            : where + ": " + rejection.Reason;
    }
}
