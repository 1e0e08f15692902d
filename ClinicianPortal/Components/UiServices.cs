using ClinicianPortal.Components.Patients;
using Radzen;

namespace ClinicianPortal.Components;

public static class UiServices
{
    /// <summary>The clinician UI: Radzen components and the services behind the patient pages.</summary>
    public static IServiceCollection AddClinicianUi(this IServiceCollection services)
    {
        services.AddRadzenComponents();
        services.AddSingleton<TimelineBuilder>();
        services.AddSingleton<TrendChartBuilder>();
        services.AddScoped<PatientRecordLoader>();
        return services;
    }
}
