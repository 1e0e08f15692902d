using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClinicianPortal.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>The audit log of AI outputs (<see cref="AuditStore"/>), in the patient store's database.</summary>
    public static IServiceCollection AddAuditTrail(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AuditStore>();
        return services;
    }
}
