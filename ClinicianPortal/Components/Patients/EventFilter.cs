using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Components.Patients;

/// <summary>The list view's filter: kind, words (title, value, codes, note text) and a date range (inclusive days).</summary>
public sealed record EventFilter
{
    public EventKind? Kind { get; init; }
    public string? Text { get; init; }
    public DateTime? From { get; init; }
    public DateTime? To { get; init; }


    public IReadOnlyList<ClinicalEvent> Apply(IEnumerable<ClinicalEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var text = Text?.Trim();
        return events.Where(e =>
                (Kind is null || e.Kind == Kind)
                && (From is null || (e.Start is { } s && s.Date >= From.Value.Date))
                && (To is null || (e.Start is { } t && t.Date <= To.Value.Date))
                && (string.IsNullOrEmpty(text) || Matches(e, text)))
            .ToList();
    }

    private static bool Matches(ClinicalEvent e, string text) =>
        Contains(e.Title, text) || Contains(e.ValueText, text) || Contains(e.Text, text) || Contains(e.Status, text)
        || e.Codes.Any(c => Contains(c.Code, text) || Contains(c.Display, text));

    private static bool Contains(string? value, string text) => value?.Contains(text, StringComparison.OrdinalIgnoreCase) == true;
}
