using System.Runtime.InteropServices;
using System.Text;
using ClinicianPortal.Shared.Inference.Onnx;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicianPortal.Shared.Inference.OnnxRuntime;

/// <summary>
/// <see cref="IInferenceRuntime"/> over the ONNX Runtime C API. At construction it loads the native
/// library and chooses the execution provider: each configured one is appended through ONNX Runtime's
/// own API and must then open a small probe model; the first that does is used for every session, and
/// the reason each earlier one failed is kept (<see cref="ExecutionProviders"/>) and logged.
/// </summary>
public sealed unsafe partial class OrtRuntime : IInferenceRuntime
{
    private const int ExecutionModeSequential = 0;

    private readonly OrtEnvironment _env;
    private readonly InferenceOptions _options;
    private readonly ILogger _logger;

    public OrtRuntime(InferenceOptions options, ILogger<OrtRuntime>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _env = OrtEnvironment.Get(options.NativeLibraryPath, _logger);
        Version = _env.Api.VersionString;
        ExecutionProviders = ChooseProvider(options.ProviderOrder());
    }

    public string Version { get; }

    public ExecutionProviderReport ExecutionProviders { get; }

    public IInferenceSession LoadModel(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        using var sessionOptions = CreateSessionOptions(ExecutionProviders.Selected);
        IntPtr session;
        // The model path is wchar_t* (UTF-16) on Windows and UTF-8 elsewhere.
        if (OperatingSystem.IsWindows())
        {
            fixed (char* p = full + "\0") _env.Api.Check(_env.Api.CreateSession(_env.Env, p, sessionOptions.DangerousGetHandle(), &session));
        }
        else
        {
            fixed (byte* p = Utf8(full)) _env.Api.Check(_env.Api.CreateSession(_env.Env, p, sessionOptions.DangerousGetHandle(), &session));
        }
        return Wrap(session);
    }

    public IInferenceSession LoadModel(ReadOnlySpan<byte> model) => LoadModel(model, ExecutionProviders.Selected);

    /// <summary>Copies a tensor into an ONNX Runtime value (native memory) that the caller disposes.</summary>
    public OrtTensorValue CreateTensorValue(DenseTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return new OrtTensorValue(_env, tensor);
    }

    public void Dispose()
    {
        // The environment is process-wide (ONNX Runtime keeps one per process) and sessions are released by their owners.
    }

    private IInferenceSession LoadModel(ReadOnlySpan<byte> model, string provider)
    {
        using var sessionOptions = CreateSessionOptions(provider);
        IntPtr session;
        fixed (byte* data = model) // ONNX Runtime copies the bytes
            _env.Api.Check(_env.Api.CreateSessionFromArray(_env.Env, data, (nuint)model.Length, sessionOptions.DangerousGetHandle(), &session));
        return Wrap(session);
    }

    private OrtSession Wrap(IntPtr session)
    {
        var handle = new OrtHandle(session, _env.Api.ReleaseSession);
        try
        {
            return new OrtSession(_env, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private ExecutionProviderReport ChooseProvider(IReadOnlyList<string> order)
    {
        var builtIn = _env.BuiltInProviders();
        var skipped = new List<SkippedProvider>();
        var probe = ProbeModel();
        foreach (var provider in order)
        {
            try
            {
                using var quiet = OrtEnvironment.Probing();
                using var session = LoadModel(probe, provider);
                LogProviderChosen(provider, skipped.Count);
                return new ExecutionProviderReport(Canonical(provider), skipped, builtIn);
            }
            catch (Exception e) when (e is OrtException or EntryPointNotFoundException)
            {
                var reason = (e is OrtException ort ? $"{ort.Code}: {ort.OrtMessage}" : e.Message) + MissingProviderFiles(provider);
                skipped.Add(new SkippedProvider(Canonical(provider), reason));
                LogProviderSkipped(provider, reason);
            }
        }
        // The CPU provider is part of every build: it is the last resort even if the configured order leaves it out.
        LogProviderChosen(ExecutionProvider.Cpu, skipped.Count);
        return new ExecutionProviderReport(ExecutionProvider.Cpu, skipped, builtIn);
    }

    /// <summary>ONNX Runtime says only "Failed to load shared library": name the GPU build's files that are not beside it.</summary>
    private string MissingProviderFiles(string provider)
    {
        if (Canonical(provider) != ExecutionProvider.Cuda) return "";
        var directory = Path.GetDirectoryName(_env.Api.LibraryPath) ?? "";
        string[] needed = OperatingSystem.IsWindows()
            ? ["onnxruntime_providers_shared.dll", "onnxruntime_providers_cuda.dll"]
            : ["libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so"];
        var missing = needed.Where(f => !File.Exists(Path.Combine(directory, f))).ToArray();
        return missing.Length == 0 ? "" : $" (not found beside the ONNX Runtime library: {string.Join(", ", missing)}; see Shared/Inference/README.md)";
    }

    private OrtHandle CreateSessionOptions(string provider)
    {
        var api = _env.Api;
        IntPtr raw;
        api.Check(api.CreateSessionOptions(&raw));
        var options = new OrtHandle(raw, api.ReleaseSessionOptions);
        try
        {
            api.Check(api.SetIntraOpNumThreads(raw, _options.IntraOpThreads));
            api.Check(api.SetSessionGraphOptimizationLevel(raw, (int)_options.GraphOptimization));
            fixed (byte* key = "session.intra_op.allow_spinning\0"u8)
            fixed (byte* value = _options.AllowSpinning ? "1\0"u8 : "0\0"u8)
                api.Check(api.AddSessionConfigEntry(raw, key, value));
            AppendProvider(raw, provider);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    /// <summary>Appends one execution provider through ONNX Runtime's own API; CPU needs nothing (it is always registered).</summary>
    private void AppendProvider(IntPtr options, string provider)
    {
        var api = _env.Api;
        switch (Canonical(provider))
        {
            case ExecutionProvider.Cpu:
                return;
            case ExecutionProvider.Cuda:
                var cuda = CudaProviderOptions.Default(deviceId: 0);
                api.Check(api.SessionOptionsAppendExecutionProviderCuda(options, &cuda));
                return;
            case ExecutionProvider.DirectML:
                // DirectML runs neither memory patterns nor parallel execution.
                api.Check(api.DisableMemPattern(options));
                api.Check(api.SetSessionExecutionMode(options, ExecutionModeSequential));
                // The Windows build exports OrtSessionOptionsAppendExecutionProvider_DML; elsewhere ask the generic API,
                // whose answer says why this build cannot use it.
                if (NativeLibrary.TryGetExport(api.Library, "OrtSessionOptionsAppendExecutionProvider_DML", out var appendDml))
                    api.Check(((delegate* unmanaged<IntPtr, int, IntPtr>)appendDml)(options, 0));
                else
                    AppendByName(options, "DML");
                return;
            default:
                AppendByName(options, provider);
                return;
        }
    }

    private void AppendByName(IntPtr options, string name)
    {
        fixed (byte* p = Utf8(name)) _env.Api.Check(_env.Api.SessionOptionsAppendExecutionProvider(options, p, null, null, 0));
    }

    private static string Canonical(string provider) => provider.Trim().ToUpperInvariant() switch
    {
        "CPU" or "CPUEXECUTIONPROVIDER" => ExecutionProvider.Cpu,
        "CUDA" or "CUDAEXECUTIONPROVIDER" => ExecutionProvider.Cuda,
        "DML" or "DIRECTML" or "DMLEXECUTIONPROVIDER" => ExecutionProvider.DirectML,
        _ => provider.Trim(),
    };

    /// <summary>A one-node model (Relu over float[1]): opening it proves a provider can take a session.</summary>
    private static byte[] ProbeModel()
    {
        var graph = new GraphBuilder("provider_probe");
        var x = graph.Input("x", TensorElementType.Float, 1);
        graph.Output(graph.Relu(x, "y"), TensorElementType.Float, 1);
        return graph.ToBytes();
    }

    private static byte[] Utf8(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Inference: execution provider {Provider} in use ({Skipped} skipped)")]
    private partial void LogProviderChosen(string provider, int skipped);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inference: execution provider {Provider} skipped: {Reason}")]
    private partial void LogProviderSkipped(string provider, string reason);
}
