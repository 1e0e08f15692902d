using ClinicianPortal.Components.Inference;
using ClinicianPortal.Shared.Inference;
using ClinicianPortal.Tests.Inference;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicianPortal.Tests.Components.Inference;

public sealed class InferenceStatusTests
{
    private static async Task<string> Render(InferenceHost host)
    {
        await using var services = new ServiceCollection()
            .AddSingleton(host)
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
        return await renderer.Dispatcher.InvokeAsync(async () => (await renderer.RenderComponentAsync<InferenceStatus>()).ToHtmlString());
    }

    [Fact]
    public async Task Footer_shows_provider_version_and_flags_an_unavailable_model()
    {
        using var folder = new ModelFolder();
        folder.Add("scaler", "1.0.0", scale: 2f);
        folder.Add("broken", "1.0.0", scale: 2f, corrupt: m => m[..^4]);
        using var host = new InferenceHost(new InferenceOptions { ModelsDirectory = folder.Path, IntraOpThreads = 1 }, NullLoggerFactory.Instance);

        var html = await Render(host);

        Assert.Contains("class=\"inference-status degraded\"", html, StringComparison.Ordinal);
        Assert.Contains($"Inference: CPU · ONNX Runtime {host.Runtime!.Version} · 1 of 2 models available", html, StringComparison.Ordinal);
        Assert.Contains("CUDA skipped: Fail: OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library", html, StringComparison.Ordinal);
        Assert.Contains("broken unavailable: ", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Footer_says_inference_is_unavailable_when_the_engine_cannot_start()
    {
        using var folder = new ModelFolder();
        using var host = new InferenceHost(new InferenceOptions { ModelsDirectory = folder.Path, NativeLibraryPath = "/nonexistent/libonnxruntime.so.1" },
            NullLoggerFactory.Instance);

        var html = await Render(host);

        Assert.Contains("class=\"inference-status unavailable\"", html, StringComparison.Ordinal);
        Assert.Contains("Inference unavailable", html, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/libonnxruntime.so.1", html, StringComparison.Ordinal);
    }
}
