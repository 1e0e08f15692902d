using System.Globalization;

namespace ClinicianPortal.Api;

/// <summary>
/// Query-string values read by hand, so that every bad value is reported at once in a 400 problem's
/// <c>errors</c> (parameter → messages) instead of a bare binding failure.
/// </summary>
internal sealed class ApiQuery
{
    private readonly Dictionary<string, string[]> errors = new(StringComparer.Ordinal);

    public IDictionary<string, string[]> Errors => errors;
    public bool IsValid => errors.Count == 0;

    public void Error(string parameter, string message) =>
        errors[parameter] = errors.TryGetValue(parameter, out var existing) ? [.. existing, message] : [message];

    public int Int(string parameter, string? text, int fallback, int min, int max)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        Error(parameter, $"Must be a whole number from {min} to {max}.");
        return fallback;
    }

    public bool Bool(string parameter, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return false;
        if (bool.TryParse(text, out var value)) return value;
        Error(parameter, "Must be true or false.");
        return false;
    }

    public TEnum? Enum<TEnum>(string parameter, string? text) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (System.Enum.TryParse<TEnum>(text.Trim(), ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !char.IsDigit(text.Trim()[0]))
            return value;
        Error(parameter, $"'{text}' is not one of: {string.Join(", ", System.Enum.GetNames<TEnum>())}.");
        return null;
    }

    /// <summary>A comma-separated list of enum names (repeated parameters arrive joined by commas too).</summary>
    public IReadOnlySet<TEnum> EnumSet<TEnum>(string parameter, string? text) where TEnum : struct, Enum
    {
        var set = new HashSet<TEnum>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Enum<TEnum>(parameter, part) is { } value) set.Add(value);
        }
        return set;
    }

    /// <summary>
    /// A date (yyyy-MM-dd, the whole UTC day counts) or an ISO 8601 instant, as a half-open bound:
    /// the lower bound is inclusive; an upper date includes its day, an upper instant includes itself.
    /// </summary>
    public DateTimeOffset? Bound(string parameter, string? text, bool upper)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return upper ? start.AddDays(1).AddTicks(-1) : start;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)) return instant;
        Error(parameter, "Must be a date (2024-05-31) or an ISO 8601 instant (2024-05-31T08:00:00Z).");
        return null;
    }
}
