using System.Globalization;
using System.Text;
using ClinicianPortal.Shared.Reasoning.Differential;
using ClinicianPortal.Shared.Reasoning.Orchestration;

namespace ClinicianPortal.Api.CdsHooks;

/// <summary>
/// A case review as CDS Hooks cards: the leading differential entries (top 3) and every other can't-miss condition the
/// review kept (those above the engine's floor). Can't-miss entries are "critical" at 10 % or more, "warning" below;
/// the others are "info".
/// </summary>
public static class CdsCards
{
    public const int LeadingCount = 3;
    public const double CriticalProbability = 0.10;

    /// <summary>The cards, each with the differential entry it shows (feedback on a card annotates that entry).</summary>
    /// <param name="unseen">Prefetch keys the client did not send (named in every card's detail).</param>
    public static IReadOnlyList<IssuedCard> Issue(CaseReviewResult review, string portalBaseUrl, IReadOnlyList<string>? unseen = null)
    {
        var caveat = unseen is { Count: > 0 }
            ? $"Not prefetched, so not reviewed: {string.Join(", ", unseen)}" + (unseen.Contains("encounters") ? " (without encounters the priors are those of primary care)" : "") + ".\n\n"
            : "";
        ArgumentNullException.ThrowIfNull(review);
        var model = review.Provenance.Models.FirstOrDefault(m => m.Id == DifferentialSpec.ModelId) ?? review.Provenance.Models.FirstOrDefault();
        var source = new CdsSource(model is null ? "ClinicianPortal differential" : $"ClinicianPortal differential ({model.Id} {model.Version})", portalBaseUrl);
        var patientPage = $"{portalBaseUrl}/patients/{Uri.EscapeDataString(review.PatientId)}";
        var links = new[] { new CdsLink("Open the case in ClinicianPortal", patientPage, "absolute") };

        var ordered = review.Differential.OrderBy(c => c.Rank).ToList();
        var leading = ordered.Take(LeadingCount).ToList();
        var redFlags = ordered.Skip(LeadingCount).Where(c => c.CantMiss);
        return
        [
            .. leading.Select(c => new IssuedCard(Card(c, c.CantMiss ? "Can't miss" : "Consider", caveat, source, links), c.ConditionId)),
            .. redFlags.Select(c => new IssuedCard(Card(c, "Can't miss", caveat, source, links), c.ConditionId)),
        ];
    }

    private static CdsCard Card(ConditionEvidence c, string verb, string caveat, CdsSource source, IReadOnlyList<CdsLink> links)
    {
        var indicator = !c.CantMiss ? "info" : c.Probability >= CriticalProbability ? "critical" : "warning";
        return new CdsCard(Guid.NewGuid().ToString(), Summary(verb, c.Name, c.Probability), Detail(c, caveat), indicator, source, links);
    }

    /// <summary>"Consider pulmonary embolism (34%)", the name shortened so that the whole stays within 140 characters.</summary>
    internal static string Summary(string verb, string name, double probability)
    {
        var tail = $" ({Percent(probability)})";
        var head = verb + " ";
        var room = CdsCard.MaxSummaryLength - head.Length - tail.Length;
        if (name.Length > room) name = name[..(room - 1)].TrimEnd() + "…";
        return head + name + tail;
    }

    private static string Detail(ConditionEvidence c, string caveat)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Rank {c.Rank}, probability {Percent(c.Probability)}");
        if (c.CantMiss) text.Append(" — a can't-miss diagnosis");
        text.Append(".\n\n");
        AppendFindings(text, "Supporting", c.Supporting.OrderByDescending(e => e.Contribution));
        AppendFindings(text, "Against", c.Refuting.OrderBy(e => e.Contribution));
        if (c.Supporting.Count == 0 && c.Refuting.Count == 0) text.Append("No recorded finding bears on it: the rank reflects the prior of the care setting.\n\n");
        text.Append(caveat).Append("Decision support from de-identified data; verify against the full record.");
        return text.ToString();
    }

    private static void AppendFindings(StringBuilder text, string label, IEnumerable<EvidenceItem> items)
    {
        var list = items.Take(5).ToList();
        if (list.Count == 0) return;
        text.Append(label).Append(": ");
        text.AppendJoin("; ", list.Select(e => string.Create(CultureInfo.InvariantCulture,
            $"{e.FindingName} ({(e.State == Shared.Reasoning.Findings.FindingState.Absent ? "absent, " : "")}LR {e.LikelihoodRatio:0.##}{(e.Citations.Count > 0 ? $", {e.Citations.Count} chart entr{(e.Citations.Count == 1 ? "y" : "ies")}" : "")})")));
        text.Append(".\n\n");
    }

    private static string Percent(double p) => p < 0.005 ? "<1%" : (p * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
}

/// <summary>A card and the id of the condition it shows.</summary>
public sealed record IssuedCard(CdsCard Card, string ConditionId);
