namespace ClinicianPortal.Api;

/// <summary>The "Api" configuration section.</summary>
public sealed record ApiOptions
{
    /// <summary>Largest body of POST /api/v1/import (Api:MaxImportBytes).</summary>
    public long MaxImportBytes { get; init; } = 50L * 1024 * 1024;
    /// <summary>Largest body of every other call (Api:MaxRequestBytes): they take none.</summary>
    public long MaxRequestBytes { get; init; } = 64 * 1024;
    /// <summary>How long API call-log rows are kept (Api:CallLogRetentionDays); older ones are deleted by <see cref="Keys.ApiCallLogPruner"/>.</summary>
    public int CallLogRetentionDays { get; init; } = 90;

    public static ApiOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Api");
        var defaults = new ApiOptions();
        var options = new ApiOptions
        {
            MaxImportBytes = section.GetValue("MaxImportBytes", defaults.MaxImportBytes),
            MaxRequestBytes = section.GetValue("MaxRequestBytes", defaults.MaxRequestBytes),
            CallLogRetentionDays = section.GetValue("CallLogRetentionDays", defaults.CallLogRetentionDays),
        };
        if (options.MaxImportBytes <= 0 || options.MaxRequestBytes <= 0)
            throw new InvalidOperationException("Api:MaxImportBytes and Api:MaxRequestBytes must be positive.");
        if (options.CallLogRetentionDays < 1)
            throw new InvalidOperationException($"Api:CallLogRetentionDays must be at least 1 (it is {options.CallLogRetentionDays}).");
        return options;
    }
}
