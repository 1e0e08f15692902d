namespace ClinicianPortal.Dashboards;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>The validation dashboards' reader (<see cref="DashboardReader"/>), over the patient store's database.</summary>
    public static IServiceCollection AddDashboards(this IServiceCollection services)
    {
        services.AddSingleton<DashboardReader>();
        return services;
    }
}
