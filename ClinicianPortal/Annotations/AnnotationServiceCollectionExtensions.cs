using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClinicianPortal.Annotations;

public static class AnnotationServiceCollectionExtensions
{
    /// <summary>Annotations of AI outputs (<see cref="AnnotationStore"/>, <see cref="AnnotationService"/>) and the case page's per-panel state.</summary>
    public static IServiceCollection AddAnnotations(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AnnotationStore>();
        services.AddSingleton<AnnotationService>();
        services.AddTransient<Components.Annotations.CaseAnnotations>(); // one per case-review panel
        return services;
    }
}
