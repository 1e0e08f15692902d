using ClinicianPortal.Data;
using Radzen;

namespace ClinicianPortal.Components.Patients;

/// <summary>The patient list's filters, turned with the grid's paging and sorting into a store query.</summary>
public sealed record PatientListFilter
{
    public static readonly IReadOnlyList<string> AgeBands =
        ["0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80-89", "90+"];

    public static readonly IReadOnlyList<string> Sexes = ["female", "male", "other", "unknown"];

    public string? Search { get; init; }
    public string? AgeBand { get; init; }
    public string? Sex { get; init; }
    public string? Condition { get; init; }

    /// <summary>The grid's column properties and the store sort they mean.</summary>
    private static readonly Dictionary<string, PatientSort> Sorts = new(StringComparer.Ordinal)
    {
        ["Patient.Id"] = PatientSort.Id,
        ["Patient.Age"] = PatientSort.Age,
        ["Patient.Sex"] = PatientSort.Sex,
        ["LastSeen"] = PatientSort.LastSeen,
        ["EventCount"] = PatientSort.EventCount,
    };

    public PatientQuery ToQuery(LoadDataArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var sort = args.Sorts?.FirstOrDefault(s => s.SortOrder is not null && s.Property is not null && Sorts.ContainsKey(s.Property));
        return new PatientQuery
        {
            Search = Blank(Search),
            AgeBand = Blank(AgeBand),
            Sex = Blank(Sex),
            Condition = Blank(Condition),
            SortBy = sort?.Property is { } property ? Sorts[property] : PatientSort.Id,
            Descending = sort?.SortOrder == SortOrder.Descending,
            Skip = args.Skip ?? 0,
            Take = args.Top ?? 25,
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
