namespace ClinicianPortal.Identity;

/// <summary>The "Identity" configuration section.</summary>
public sealed record PortalIdentityOptions
{
    /// <summary>Consecutive failed sign-ins that lock an account.</summary>
    public int MaxFailedAttempts { get; init; } = 5;
    public TimeSpan LockoutDuration { get; init; } = TimeSpan.FromMinutes(15);
    /// <summary>Create one demo user per role on first start.</summary>
    public bool SeedDemoUsers { get; init; } = true;
    /// <summary>The demo users' password; when absent each gets a random one (shown at start-up in Development only).</summary>
    public string? DemoPassword { get; init; }
    /// <summary>How often an open page (Blazor circuit) re-checks that its user is still allowed in (Identity:OpenPageRecheckSeconds).</summary>
    public TimeSpan OpenPageRecheck { get; init; } = TimeSpan.FromMinutes(1);

    public static PortalIdentityOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Identity");
        var options = new PortalIdentityOptions
        {
            MaxFailedAttempts = section.GetValue("MaxFailedAttempts", 5),
            LockoutDuration = TimeSpan.FromMinutes(section.GetValue("LockoutMinutes", 15.0)),
            SeedDemoUsers = section.GetValue("SeedDemoUsers", true),
            DemoPassword = string.IsNullOrEmpty(section["DemoPassword"]) ? null : section["DemoPassword"],
            OpenPageRecheck = TimeSpan.FromSeconds(section.GetValue("OpenPageRecheckSeconds", 60.0)),
        };
        if (options.MaxFailedAttempts < 1) throw new InvalidOperationException("Identity:MaxFailedAttempts must be at least 1.");
        if (options.LockoutDuration <= TimeSpan.Zero) throw new InvalidOperationException("Identity:LockoutMinutes must be more than 0.");
        if (options.OpenPageRecheck < TimeSpan.FromSeconds(1)) throw new InvalidOperationException("Identity:OpenPageRecheckSeconds must be at least 1.");
        if (options.DemoPassword is { Length: < 8 }) throw new InvalidOperationException("Identity:DemoPassword must have at least 8 characters.");
        return options;
    }
}
