using System.Globalization;
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
}
