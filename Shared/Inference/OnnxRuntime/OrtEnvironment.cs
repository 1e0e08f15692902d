using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicianPortal.Shared.Inference.OnnxRuntime;

/// <summary>
/// The process-wide ONNX Runtime state: the loaded library's API table, one OrtEnv (ONNX Runtime keeps a
/// single environment per process), the CPU memory description and the default allocator. It lives as
/// long as the process; sessions and values are released individually. ONNX Runtime's own log lines go
/// through a custom logger into <see cref="ILogger"/> instead of its coloured stderr output.
/// </summary>
internal sealed unsafe class OrtEnvironment
{
    private const int LogLevelWarning = 2; // OrtLoggingLevel: VERBOSE 0, INFO 1, WARNING 2, ERROR 3, FATAL 4
    private const int OrtArenaAllocator = 1, OrtMemTypeDefault = 0;

    private static readonly Lock Gate = new();
    private static OrtEnvironment? s_current;
    private static ILogger s_logger = NullLogger.Instance;
    [ThreadStatic] private static bool t_probing;

    private OrtEnvironment(OrtApi api, IntPtr env, IntPtr cpuMemoryInfo, IntPtr allocator)
    {
        Api = api;
        Env = env;
        CpuMemoryInfo = cpuMemoryInfo;
        Allocator = allocator;
    }

    public OrtApi Api { get; }
    public IntPtr Env { get; }
    public IntPtr CpuMemoryInfo { get; }
    public IntPtr Allocator { get; }

    /// <summary>The environment, created on first use from the given library (later paths are ignored once loaded).</summary>
    public static OrtEnvironment Get(string? libraryPath, ILogger logger)
    {
        var path = OrtApi.ResolveLibraryPath(libraryPath); // a missing library is reported even once another is loaded
        Volatile.Write(ref s_logger, logger); // ONNX Runtime's lines go to the most recently started engine's logger
        lock (Gate)
        {
            if (s_current is not null) return s_current;
            var api = OrtApi.Load(path);
            IntPtr env, memoryInfo, allocator;
            fixed (byte* logId = "ClinicianPortal\0"u8)
            {
                api.Check(api.CreateEnvWithCustomLogger((IntPtr)(delegate* unmanaged<IntPtr, int, byte*, byte*, byte*, byte*, void>)&Log,
                    IntPtr.Zero, LogLevelWarning, logId, &env));
            }
            api.Check(api.CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &memoryInfo));
            api.Check(api.GetAllocatorWithDefaultOptions(&allocator)); // owned by ONNX Runtime: never released
            s_current = new OrtEnvironment(api, env, memoryInfo, allocator);
            return s_current;
        }
    }

    /// <summary>The execution providers this build of the library was compiled with.</summary>
    public IReadOnlyList<string> BuiltInProviders()
    {
        byte** names;
        int count;
        Api.Check(Api.GetAvailableProviders(&names, &count));
        try
        {
            var result = new string[count];
            for (int i = 0; i < count; i++) result[i] = Marshal.PtrToStringUTF8((IntPtr)names[i]) ?? "";
            return result;
        }
        finally
        {
            Api.Check(Api.ReleaseAvailableProviders(names, count));
        }
    }

    /// <summary>
    /// While probing execution providers, ONNX Runtime's own error lines about a provider that cannot load
    /// are expected: they go to Debug on this thread, and the caller logs the outcome once.
    /// </summary>
    public static ProbeScope Probing()
    {
        t_probing = true;
        return default;
    }

    public readonly struct ProbeScope : IDisposable
    {
        public void Dispose() => t_probing = false;
    }

    // OrtLoggingFunction: void(void* param, OrtLoggingLevel severity, const char* category, const char* logid,
    //                          const char* code_location, const char* message)
    [UnmanagedCallersOnly]
    private static void Log(IntPtr param, int severity, byte* category, byte* logId, byte* codeLocation, byte* message)
    {
        try
        {
            var level = severity switch { 0 => LogLevel.Trace, 1 => LogLevel.Debug, 2 => LogLevel.Warning, 3 => LogLevel.Error, _ => LogLevel.Critical };
            if (t_probing && level < LogLevel.Critical) level = LogLevel.Debug;
            var logger = Volatile.Read(ref s_logger);
            if (!logger.IsEnabled(level)) return;
#pragma warning disable CA1848, CA2254 // ONNX Runtime's own lines: the template is fixed, the text is the library's
            logger.Log(level, "ONNX Runtime: {Message}", Marshal.PtrToStringUTF8((IntPtr)message));
#pragma warning restore CA1848, CA2254
        }
        catch (Exception)
        {
            // Never let an exception cross back into native code.
        }
    }
}
