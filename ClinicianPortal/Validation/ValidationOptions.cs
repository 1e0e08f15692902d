namespace ClinicianPortal.Validation;

/// <summary>The "Validation" configuration section.</summary>
public sealed record ValidationOptions
{
    /// <summary>Items per stratum (model version × task) that sampling tops up to (Validation:PerStratum).</summary>
    public int PerStratum { get; init; } = 20;
    /// <summary>
    /// Validators who rate each item before it leaves the queue (Validation:RatersRequired); also what makes an output count as
    /// rated for promotion (ModelLifecycle) and on the dashboard.
    /// </summary>
    public int RatersRequired { get; init; } = Shared.Governance.Validation.Rubric.DefaultRatersRequired;
    /// <summary>Whether validators see which model version produced an output (Validation:ShowModelVersion); blinded by default.</summary>
    public bool ShowModelVersion { get; init; }
    /// <summary>Keys the sampling's ranking (Validation:Seed): the same seed and outputs give the same sample.</summary>
    public string Seed { get; init; } = "clinicianportal-validation";
    /// <summary>Audit record kinds sampled (Validation:Kinds): outputs whose JSON is a case review.</summary>
    public IReadOnlyList<string> Kinds { get; init; } = ["case-review"];

    public static ValidationOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Validation");
        var defaults = new ValidationOptions();
        var kinds = section.GetSection("Kinds").Get<string[]>();
        var options = new ValidationOptions
        {
            PerStratum = section.GetValue("PerStratum", defaults.PerStratum),
            RatersRequired = section.GetValue("RatersRequired", defaults.RatersRequired),
            ShowModelVersion = section.GetValue("ShowModelVersion", defaults.ShowModelVersion),
            Seed = section.GetValue("Seed", defaults.Seed) ?? defaults.Seed,
            Kinds = kinds is { Length: > 0 } ? kinds : defaults.Kinds,
        };
        if (options.PerStratum < 1) throw new InvalidOperationException("Validation:PerStratum must be at least 1.");
        if (options.RatersRequired < 1) throw new InvalidOperationException("Validation:RatersRequired must be at least 1.");
        return options;
    }
}
