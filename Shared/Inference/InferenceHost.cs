using ClinicianPortal.Shared.Inference.Models;
using ClinicianPortal.Shared.Inference.OnnxRuntime;
using Microsoft.Extensions.Logging;

namespace ClinicianPortal.Shared.Inference;

/// <summary>
/// The app's inference capability: the engine (ONNX Runtime on the chosen execution provider) and the
/// model registry over the models folder. If the engine cannot start (library missing, too old), the app
/// keeps running: <see cref="RuntimeError"/> says why and every model is shown unavailable.
/// </summary>
public sealed partial class InferenceHost : IDisposable
{
    private readonly ILogger _logger;

    public InferenceHost(InferenceOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _logger = loggerFactory.CreateLogger<InferenceHost>();
        try
        {
            Runtime = new OrtRuntime(options, loggerFactory.CreateLogger<OrtRuntime>());
        }
        catch (Exception e) when (e is OrtLibraryException or OrtException)
        {
            RuntimeError = e.Message;
            LogRuntimeUnavailable(e.Message);
        }
        var directory = Path.IsPathRooted(options.ModelsDirectory)
            ? options.ModelsDirectory
            : Path.Combine(AppContext.BaseDirectory, options.ModelsDirectory);
        Models = new ModelRegistry(Runtime, directory, loggerFactory.CreateLogger<ModelRegistry>(),
            RuntimeError is null ? null : $"the inference engine is unavailable: {RuntimeError}");
    }

    /// <summary>The engine, or null when it could not start.</summary>
    public IInferenceRuntime? Runtime { get; }

    public string? RuntimeError { get; }

    public ModelRegistry Models { get; }

    public InferenceHealth Health()
    {
        var models = Models.Models;
        var healthy = Runtime is not null && models.All(m => m.State != ModelState.Unavailable);
        return new InferenceHealth(
            Status: Runtime is null ? "unavailable" : healthy ? "healthy" : "degraded",
            Provider: Runtime?.ExecutionProviders.Selected,
            SkippedProviders: Runtime?.ExecutionProviders.Skipped ?? [],
            OrtVersion: Runtime?.Version,
            Error: RuntimeError,
            ModelsDirectory: Models.Directory,
            Models: models);
    }

    public void Dispose()
    {
        Models.Dispose();
        Runtime?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Inference unavailable: {Reason}")]
    private partial void LogRuntimeUnavailable(string reason);
}

/// <summary>What GET /health/inference answers and the footer shows.</summary>
public sealed record InferenceHealth(
    string Status,
    string? Provider,
    IReadOnlyList<SkippedProvider> SkippedProviders,
    string? OrtVersion,
    string? Error,
    string ModelsDirectory,
    IReadOnlyList<ModelStatus> Models);
