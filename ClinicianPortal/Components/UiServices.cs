using ClinicianPortal.Components.Patients;

namespace ClinicianPortal.Components;

public static class UiServices
{
    /// <summary>The services behind the clinician pages (Radzen's own are added by AddRadzenComponents).</summary>
    public static IServiceCollection AddClinicianUi(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddSingleton<TimelineBuilder>();
        services.AddSingleton<TrendChartBuilder>();
        services.AddSingleton<PatientRecordLoader>(); // stateless over singletons; the case review shares its cache
        services.AddTransient<ClinicianPortal.Components.CaseReview.CaseReviewPanelModel>(); // one per panel: a review never outlives its patient
        services.AddScoped<ClinicianPortal.Components.Import.UploadImport>();
        return services;
    }
}
