namespace ClinicianPortal.Shared.Inference;

/// <summary>
/// The inference engine as the rest of the app sees it: load a model, ask what it takes and gives,
/// run it. The project's implementation binds the ONNX Runtime C API itself
/// (<see cref="OnnxRuntime.OrtRuntime"/>); where a feed has the official Microsoft.ML.OnnxRuntime
/// package, an adapter over it can implement these two interfaces instead.
/// </summary>
public interface IInferenceRuntime : IDisposable
{
    /// <summary>The engine's own version string (e.g. "1.30.0").</summary>
    string Version { get; }

    /// <summary>The execution provider in use and why each preferred one was skipped.</summary>
    ExecutionProviderReport ExecutionProviders { get; }

    IInferenceSession LoadModel(string path);

    IInferenceSession LoadModel(ReadOnlySpan<byte> model);
}

/// <summary>One loaded model. <see cref="Run"/> is safe to call from many threads at once.</summary>
public interface IInferenceSession : IDisposable
{
    IReadOnlyList<TensorInfo> Inputs { get; }

    IReadOnlyList<TensorInfo> Outputs { get; }

    /// <summary>Runs the model; returns the requested outputs (all of them when none are named), in that order.</summary>
    IReadOnlyList<NamedTensor> Run(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<string>? outputNames = null);
}

/// <summary>The execution provider chosen at start-up, those skipped and why, and what the library was built with.</summary>
public sealed record ExecutionProviderReport(string Selected, IReadOnlyList<SkippedProvider> Skipped, IReadOnlyList<string> BuiltIn);

public sealed record SkippedProvider(string Provider, string Reason);

/// <summary>How the engine runs models (configuration section "Inference").</summary>
public sealed class InferenceOptions
{
    public const string Section = "Inference";

    /// <summary>Folder of model files and their manifests; relative paths are resolved against the app directory.</summary>
    public string ModelsDirectory { get; set; } = "models";

    /// <summary>Execution providers to try, in order ("DirectML", "CUDA", "CPU"); empty means the platform default.</summary>
    public IList<string> ExecutionProviders { get; } = [];

    /// <summary>Threads used inside one operator; 0 lets ONNX Runtime choose (one per core).</summary>
    public int IntraOpThreads { get; set; }

    public GraphOptimization GraphOptimization { get; set; } = GraphOptimization.All;

    /// <summary>Whether idle pool threads spin after a run: lower latency, but a busy-looking CPU.</summary>
    public bool AllowSpinning { get; set; }

    /// <summary>Full path of the native library; empty means the one copied beside the app.</summary>
    public string? NativeLibraryPath { get; set; }

    /// <summary>Default order: DirectML on Windows, CUDA on Linux, then CPU.</summary>
    public IReadOnlyList<string> ProviderOrder() =>
        ExecutionProviders.Count > 0 ? [.. ExecutionProviders]
        : OperatingSystem.IsWindows() ? [ExecutionProvider.DirectML, ExecutionProvider.Cpu]
        : OperatingSystem.IsLinux() ? [ExecutionProvider.Cuda, ExecutionProvider.Cpu]
        : [ExecutionProvider.Cpu];
}

public enum GraphOptimization
{
    None = 0,
    Basic = 1,
    Extended = 2,
    All = 99,
}

public static class ExecutionProvider
{
    public const string DirectML = "DirectML";
    public const string Cuda = "CUDA";
    public const string Cpu = "CPU";
}
