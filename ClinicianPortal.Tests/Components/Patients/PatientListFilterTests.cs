using ClinicianPortal.Components.Patients;
using ClinicianPortal.Data;
using Radzen;

namespace ClinicianPortal.Tests.Components.Patients;

public class PatientListFilterTests
{
    [Fact]
    public void Grid_sort_and_page_become_the_store_query_with_trimmed_filters()
    {
        var filter = new PatientListFilter { Search = "  7f ", AgeBand = "90+", Sex = "", Condition = "diabetes" };
        var args = new LoadDataArgs { Skip = 50, Top = 25, Sorts = [new SortDescriptor { Property = "LastSeen", SortOrder = SortOrder.Descending }] };

        var query = filter.ToQuery(args);

        Assert.Equal(new PatientQuery
        {
            Search = "7f", AgeBand = "90+", Sex = null, Condition = "diabetes",
            SortBy = PatientSort.LastSeen, Descending = true, Skip = 50, Take = 25,
        }, query);
    }

    [Fact]
    public void An_unknown_sort_column_falls_back_to_the_pseudonym()
    {
        var args = new LoadDataArgs { Sorts = [new SortDescriptor { Property = "ActiveProblems", SortOrder = SortOrder.Ascending }] };

        Assert.Equal(PatientSort.Id, new PatientListFilter().ToQuery(args).SortBy);
    }
}
