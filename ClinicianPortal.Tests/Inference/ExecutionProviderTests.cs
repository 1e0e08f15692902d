using ClinicianPortal.Shared.Inference;
using ClinicianPortal.Shared.Inference.OnnxRuntime;

namespace ClinicianPortal.Tests.Inference;

/// <summary>Provider choice against the real library: this machine has no GPU and no CUDA provider libraries.</summary>
public sealed class ExecutionProviderTests
{
    private static OrtRuntime RuntimeWith(params string[] order)
    {
        var options = new InferenceOptions { IntraOpThreads = 1 };
        foreach (var p in order) options.ExecutionProviders.Add(p);
        return new OrtRuntime(options);
    }

    [Fact]
    public void Gpu_providers_that_cannot_load_are_skipped_with_onnx_runtime_reasons_and_cpu_is_chosen()
    {
        using var runtime = RuntimeWith(ExecutionProvider.DirectML, ExecutionProvider.Cuda, ExecutionProvider.Cpu);

        var report = runtime.ExecutionProviders;
        Assert.Equal(ExecutionProvider.Cpu, report.Selected);
        Assert.Equal([ExecutionProvider.DirectML, ExecutionProvider.Cuda], report.Skipped.Select(s => s.Provider));
        // The reasons are ONNX Runtime's own: DirectML is not in the Linux build; CUDA's provider library is not beside it.
        Assert.Contains("DML", report.Skipped[0].Reason, StringComparison.Ordinal);
        Assert.Contains("not supported in this build", report.Skipped[0].Reason, StringComparison.Ordinal);
        Assert.Contains("Failed to load shared library", report.Skipped[1].Reason, StringComparison.Ordinal);
        Assert.Contains("libonnxruntime_providers_cuda.so", report.Skipped[1].Reason, StringComparison.Ordinal);
        Assert.Contains("CPUExecutionProvider", report.BuiltIn);
    }

    [Fact]
    public void Default_order_tries_the_platform_gpu_provider_first_and_records_why_it_was_skipped()
    {
        var options = new InferenceOptions { IntraOpThreads = 1 };
        using var runtime = new OrtRuntime(options);

        var order = options.ProviderOrder();
        Assert.Equal(OperatingSystem.IsWindows() ? ExecutionProvider.DirectML : OperatingSystem.IsLinux() ? ExecutionProvider.Cuda : ExecutionProvider.Cpu, order[0]);
        Assert.Equal(ExecutionProvider.Cpu, order[^1]);
        var report = runtime.ExecutionProviders;
        Assert.Equal(order.TakeWhile(p => p != report.Selected), report.Skipped.Select(s => s.Provider));
    }

    [Fact]
    public void An_unknown_provider_name_is_skipped_with_the_reason()
    {
        using var runtime = RuntimeWith("NoSuchAccelerator");

        Assert.Equal(ExecutionProvider.Cpu, runtime.ExecutionProviders.Selected);
        var skipped = Assert.Single(runtime.ExecutionProviders.Skipped);
        Assert.Equal("NoSuchAccelerator", skipped.Provider);
        Assert.False(string.IsNullOrWhiteSpace(skipped.Reason));
    }

    [Fact]
    public void Sessions_run_on_the_chosen_provider_after_failed_attempts()
    {
        using var runtime = RuntimeWith(ExecutionProvider.Cuda, ExecutionProvider.Cpu);
        using var session = runtime.LoadModel(OrtSessionTests.ScoringModel(8, 4, 3, new Random(6), out _, out _));

        var scores = session.Run([new NamedTensor("findings", DenseTensor.FromFloats(new float[8], 1, 8))])[0].Value.AsFloats();

        Assert.Equal(1.0, scores.Sum(), 5);
    }
}
