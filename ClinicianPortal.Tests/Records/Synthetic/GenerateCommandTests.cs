using ClinicianPortal.Cli;
using ClinicianPortal.Shared.Records.Synthetic;

namespace ClinicianPortal.Tests.Records.Synthetic;

/// <summary>The `generate` verb writes what the generator produces, plus the manifest.</summary>
public sealed class GenerateCommandTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "cohort-cli-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Generate_writes_one_bundle_per_patient_and_a_manifest()
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "patient-9999-stale.json"), "{}");

        var exit = await CommandLine.RunAsync(["generate", "--out", folder, "--patients", "4", "--seed", "11", "--with-identifiers"]);

        Assert.Equal(0, exit);
        var expected = CohortFixture.Generate(new CohortGenerator(new CohortOptions { IncludeIdentifiers = true }), 4, 11);
        Assert.Equal(expected.Files.Keys.Order(StringComparer.Ordinal), Directory.GetFiles(folder, "patient-*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in expected.Files) Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(folder, name)));
        Assert.Equal(expected.Manifest, File.ReadAllBytes(Path.Combine(folder, CohortGenerator.ManifestFileName)));
    }

    [Theory]
    [InlineData("--patients", "0")]
    [InlineData("--patients", "many")]
    [InlineData("--observations", "-3")]
    [InlineData("--colour", "blue")]
    public async Task Generate_rejects_bad_options_and_writes_nothing(string option, string value)
    {
        var exit = await CommandLine.RunAsync(["generate", "--out", folder, option, value]);

        Assert.Equal(2, exit);
        Assert.False(Directory.Exists(folder));
    }

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
