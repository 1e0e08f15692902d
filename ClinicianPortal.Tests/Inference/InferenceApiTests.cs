using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ClinicianPortal.Tests.Inference;

public sealed class InferenceApiTests : IDisposable
{
    private readonly ModelFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Health_endpoint_reports_provider_skipped_providers_version_and_models()
    {
        var good = _folder.Add("scaler", "1.2.0", scale: 2f);
        _folder.Add("broken", "1.0.0", scale: 2f, corrupt: m => m[..^4]);
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("Inference:ModelsDirectory", _folder.Path)
            .UseSetting("Inference:ExecutionProviders:0", "CUDA")
            .UseSetting("Inference:ExecutionProviders:1", "CPU"));
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/health/inference", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal("degraded", root.GetProperty("status").GetString());
        Assert.Equal("CPU", root.GetProperty("provider").GetString());
        var skipped = Assert.Single(root.GetProperty("skippedProviders").EnumerateArray());
        Assert.Equal("CUDA", skipped.GetProperty("provider").GetString());
        Assert.Contains("Failed to load shared library", skipped.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("1.", root.GetProperty("ortVersion").GetString(), StringComparison.Ordinal);
        var all = root.GetProperty("models").EnumerateArray().ToList();
        var refused = Assert.Single(all, m => m.GetProperty("state").GetString() == "refused");
        Assert.Equal(("broken", "1.0.0"), (refused.GetProperty("id").GetString(), refused.GetProperty("version").GetString()));
        var models = all.Where(m => m.GetProperty("state").GetString() != "refused").ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal("available", models["scaler"].GetProperty("state").GetString());
        Assert.Equal("1.2.0", models["scaler"].GetProperty("version").GetString());
        Assert.Equal(good.Sha256, models["scaler"].GetProperty("sha256").GetString());
        Assert.Equal("unavailable", models["broken"].GetProperty("state").GetString());
        Assert.Contains("does not match its manifest", models["broken"].GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
