using System.Data.Common;

namespace ClinicianPortal.Api.Keys;

/// <summary>
/// Deletes API call-log rows older than Api:CallLogRetentionDays: at start-up, then every <see cref="Interval"/>.
/// A failed pass is logged and retried at the next one; the app keeps serving.
/// </summary>
public sealed class ApiCallLogPruner(ApiCallLog log, ApiOptions options, TimeProvider time, ILogger<ApiCallLogPruner> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    /// <summary>One pass: deletes what is older than the retention period; returns how many rows.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken = default)
    {
        var pruned = await log.PruneAsync(time.GetUtcNow() - TimeSpan.FromDays(options.CallLogRetentionDays), cancellationToken);
        if (pruned > 0) logger.LogInformation("Pruned {Count} API call-log rows older than {Days} days", pruned, options.CallLogRetentionDays);
        return pruned;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await PruneAsync(stoppingToken);
            }
            catch (DbException ex)
            {
                logger.LogError("Could not prune the API call log: {Error}", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
