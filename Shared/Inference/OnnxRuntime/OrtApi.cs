using System.Runtime.InteropServices;

namespace ClinicianPortal.Shared.Inference.OnnxRuntime;

/// <summary>
/// The ONNX Runtime C API as a table of function pointers: OrtGetApiBase() → GetApi(version) →
/// OrtApi, a struct of function pointers read here by slot index. The indices are the member
/// positions in include/onnxruntime/core/session/onnxruntime_c_api.h (checked against the header
/// of API version 29; the table only ever appends, so they hold for every later version).
/// </summary>
internal sealed unsafe class OrtApi
{
    /// <summary>Oldest API version asked for: every slot used below exists from it on.</summary>
    private const uint MinApiVersion = 14;
    /// <summary>Newest API version whose header these slots were checked against.</summary>
    private const uint MaxApiVersion = 30;

    // OrtApi slot indices.
    private const int SlotGetErrorCode = 1, SlotGetErrorMessage = 2;
    private const int SlotCreateEnvWithCustomLogger = 4;
    private const int SlotCreateSession = 7, SlotCreateSessionFromArray = 8, SlotRun = 9;
    private const int SlotCreateSessionOptions = 10, SlotSetSessionExecutionMode = 13, SlotDisableMemPattern = 17;
    private const int SlotSetSessionGraphOptimizationLevel = 23, SlotSetIntraOpNumThreads = 24;
    private const int SlotSessionGetInputCount = 30, SlotSessionGetOutputCount = 31;
    private const int SlotSessionGetInputTypeInfo = 33, SlotSessionGetOutputTypeInfo = 34;
    private const int SlotSessionGetInputName = 36, SlotSessionGetOutputName = 37;
    private const int SlotCreateTensorWithDataAsOrtValue = 49, SlotGetTensorMutableData = 51;
    private const int SlotCastTypeInfoToTensorInfo = 55;
    private const int SlotGetTensorElementType = 60, SlotGetDimensionsCount = 61, SlotGetDimensions = 62;
    private const int SlotGetTensorTypeAndShape = 65, SlotCreateCpuMemoryInfo = 69;
    private const int SlotAllocatorFree = 76, SlotGetAllocatorWithDefaultOptions = 78;
    private const int SlotReleaseStatus = 93, SlotReleaseMemoryInfo = 94, SlotReleaseSession = 95, SlotReleaseValue = 96;
    private const int SlotReleaseTypeInfo = 98, SlotReleaseTensorTypeAndShapeInfo = 99, SlotReleaseSessionOptions = 100;
    private const int SlotGetAvailableProviders = 125, SlotReleaseAvailableProviders = 126;
    private const int SlotAddSessionConfigEntry = 130;
    private const int SlotSessionOptionsAppendExecutionProviderCuda = 152;
    private const int SlotSessionOptionsAppendExecutionProvider = 216;

    private OrtApi(string libraryPath, IntPtr library, void** table, uint version, string versionString)
    {
        LibraryPath = libraryPath;
        Library = library;
        ApiVersion = version;
        VersionString = versionString;
        GetErrorCode = (delegate* unmanaged<IntPtr, int>)table[SlotGetErrorCode];
        GetErrorMessage = (delegate* unmanaged<IntPtr, byte*>)table[SlotGetErrorMessage];
        CreateEnvWithCustomLogger = (delegate* unmanaged<IntPtr, IntPtr, int, byte*, IntPtr*, IntPtr>)table[SlotCreateEnvWithCustomLogger];
        CreateSession = (delegate* unmanaged<IntPtr, void*, IntPtr, IntPtr*, IntPtr>)table[SlotCreateSession];
        CreateSessionFromArray = (delegate* unmanaged<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr>)table[SlotCreateSessionFromArray];
        Run = (delegate* unmanaged<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr>)table[SlotRun];
        CreateSessionOptions = (delegate* unmanaged<IntPtr*, IntPtr>)table[SlotCreateSessionOptions];
        SetSessionExecutionMode = (delegate* unmanaged<IntPtr, int, IntPtr>)table[SlotSetSessionExecutionMode];
        DisableMemPattern = (delegate* unmanaged<IntPtr, IntPtr>)table[SlotDisableMemPattern];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged<IntPtr, int, IntPtr>)table[SlotSetSessionGraphOptimizationLevel];
        SetIntraOpNumThreads = (delegate* unmanaged<IntPtr, int, IntPtr>)table[SlotSetIntraOpNumThreads];
        SessionGetInputCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)table[SlotSessionGetInputCount];
        SessionGetOutputCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)table[SlotSessionGetOutputCount];
        SessionGetInputTypeInfo = (delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)table[SlotSessionGetInputTypeInfo];
        SessionGetOutputTypeInfo = (delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)table[SlotSessionGetOutputTypeInfo];
        SessionGetInputName = (delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr>)table[SlotSessionGetInputName];
        SessionGetOutputName = (delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr>)table[SlotSessionGetOutputName];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr>)table[SlotCreateTensorWithDataAsOrtValue];
        GetTensorMutableData = (delegate* unmanaged<IntPtr, void**, IntPtr>)table[SlotGetTensorMutableData];
        CastTypeInfoToTensorInfo = (delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)table[SlotCastTypeInfoToTensorInfo];
        GetTensorElementType = (delegate* unmanaged<IntPtr, int*, IntPtr>)table[SlotGetTensorElementType];
        GetDimensionsCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)table[SlotGetDimensionsCount];
        GetDimensions = (delegate* unmanaged<IntPtr, long*, nuint, IntPtr>)table[SlotGetDimensions];
        GetTensorTypeAndShape = (delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)table[SlotGetTensorTypeAndShape];
        CreateCpuMemoryInfo = (delegate* unmanaged<int, int, IntPtr*, IntPtr>)table[SlotCreateCpuMemoryInfo];
        AllocatorFree = (delegate* unmanaged<IntPtr, void*, IntPtr>)table[SlotAllocatorFree];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged<IntPtr*, IntPtr>)table[SlotGetAllocatorWithDefaultOptions];
        ReleaseStatus = (delegate* unmanaged<IntPtr, void>)table[SlotReleaseStatus];
        ReleaseMemoryInfo = (delegate* unmanaged<IntPtr, void>)table[SlotReleaseMemoryInfo];
        ReleaseSession = (delegate* unmanaged<IntPtr, void>)table[SlotReleaseSession];
        ReleaseValue = (delegate* unmanaged<IntPtr, void>)table[SlotReleaseValue];
        ReleaseTypeInfo = (delegate* unmanaged<IntPtr, void>)table[SlotReleaseTypeInfo];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<IntPtr, void>)table[SlotReleaseTensorTypeAndShapeInfo];
        ReleaseSessionOptions = (delegate* unmanaged<IntPtr, void>)table[SlotReleaseSessionOptions];
        GetAvailableProviders = (delegate* unmanaged<byte***, int*, IntPtr>)table[SlotGetAvailableProviders];
        ReleaseAvailableProviders = (delegate* unmanaged<byte**, int, IntPtr>)table[SlotReleaseAvailableProviders];
        AddSessionConfigEntry = (delegate* unmanaged<IntPtr, byte*, byte*, IntPtr>)table[SlotAddSessionConfigEntry];
        SessionOptionsAppendExecutionProviderCuda = (delegate* unmanaged<IntPtr, CudaProviderOptions*, IntPtr>)table[SlotSessionOptionsAppendExecutionProviderCuda];
        SessionOptionsAppendExecutionProvider = (delegate* unmanaged<IntPtr, byte*, byte**, byte**, nuint, IntPtr>)table[SlotSessionOptionsAppendExecutionProvider];
    }

    public string LibraryPath { get; }
    public IntPtr Library { get; }
    public uint ApiVersion { get; }
    public string VersionString { get; }

    public readonly delegate* unmanaged<IntPtr, int> GetErrorCode;
    public readonly delegate* unmanaged<IntPtr, byte*> GetErrorMessage;
    public readonly delegate* unmanaged<IntPtr, IntPtr, int, byte*, IntPtr*, IntPtr> CreateEnvWithCustomLogger;
    public readonly delegate* unmanaged<IntPtr, void*, IntPtr, IntPtr*, IntPtr> CreateSession;
    public readonly delegate* unmanaged<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr> CreateSessionFromArray;
    public readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr> Run;
    public readonly delegate* unmanaged<IntPtr*, IntPtr> CreateSessionOptions;
    public readonly delegate* unmanaged<IntPtr, int, IntPtr> SetSessionExecutionMode;
    public readonly delegate* unmanaged<IntPtr, IntPtr> DisableMemPattern;
    public readonly delegate* unmanaged<IntPtr, int, IntPtr> SetSessionGraphOptimizationLevel;
    public readonly delegate* unmanaged<IntPtr, int, IntPtr> SetIntraOpNumThreads;
    public readonly delegate* unmanaged<IntPtr, nuint*, IntPtr> SessionGetInputCount;
    public readonly delegate* unmanaged<IntPtr, nuint*, IntPtr> SessionGetOutputCount;
    public readonly delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr> SessionGetInputTypeInfo;
    public readonly delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr> SessionGetOutputTypeInfo;
    public readonly delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetInputName;
    public readonly delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetOutputName;
    public readonly delegate* unmanaged<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr> CreateTensorWithDataAsOrtValue;
    public readonly delegate* unmanaged<IntPtr, void**, IntPtr> GetTensorMutableData;
    public readonly delegate* unmanaged<IntPtr, IntPtr*, IntPtr> CastTypeInfoToTensorInfo;
    public readonly delegate* unmanaged<IntPtr, int*, IntPtr> GetTensorElementType;
    public readonly delegate* unmanaged<IntPtr, nuint*, IntPtr> GetDimensionsCount;
    public readonly delegate* unmanaged<IntPtr, long*, nuint, IntPtr> GetDimensions;
    public readonly delegate* unmanaged<IntPtr, IntPtr*, IntPtr> GetTensorTypeAndShape;
    public readonly delegate* unmanaged<int, int, IntPtr*, IntPtr> CreateCpuMemoryInfo;
    public readonly delegate* unmanaged<IntPtr, void*, IntPtr> AllocatorFree;
    public readonly delegate* unmanaged<IntPtr*, IntPtr> GetAllocatorWithDefaultOptions;
    public readonly delegate* unmanaged<IntPtr, void> ReleaseStatus;
    public readonly delegate* unmanaged<IntPtr, void> ReleaseMemoryInfo;
    public readonly delegate* unmanaged<IntPtr, void> ReleaseSession;
    public readonly delegate* unmanaged<IntPtr, void> ReleaseValue;
    public readonly delegate* unmanaged<IntPtr, void> ReleaseTypeInfo;
    public readonly delegate* unmanaged<IntPtr, void> ReleaseTensorTypeAndShapeInfo;
    public readonly delegate* unmanaged<IntPtr, void> ReleaseSessionOptions;
    public readonly delegate* unmanaged<byte***, int*, IntPtr> GetAvailableProviders;
    public readonly delegate* unmanaged<byte**, int, IntPtr> ReleaseAvailableProviders;
    public readonly delegate* unmanaged<IntPtr, byte*, byte*, IntPtr> AddSessionConfigEntry;
    public readonly delegate* unmanaged<IntPtr, CudaProviderOptions*, IntPtr> SessionOptionsAppendExecutionProviderCuda;
    public readonly delegate* unmanaged<IntPtr, byte*, byte**, byte**, nuint, IntPtr> SessionOptionsAppendExecutionProvider;

    /// <summary>Throws an <see cref="OrtException"/> carrying ONNX Runtime's code and message when a call failed.</summary>
    public void Check(IntPtr status)
    {
        if (status == IntPtr.Zero) return;
        var code = (OrtErrorCode)GetErrorCode(status);
        var message = Marshal.PtrToStringUTF8((IntPtr)GetErrorMessage(status)) ?? ""; // copy before the status is released
        ReleaseStatus(status);
        throw new OrtException(code, message);
    }

    /// <summary>The file name of the native library on this platform, as copied beside the app by wwwroot-assets.</summary>
    public static string DefaultLibraryPath() => Path.Combine(AppContext.BaseDirectory,
        OperatingSystem.IsWindows() ? "onnxruntime.dll" : OperatingSystem.IsMacOS() ? "libonnxruntime.1.dylib" : "libonnxruntime.so.1");

    /// <summary>The full path of the library to load; throws a clear error when no file is there.</summary>
    public static string ResolveLibraryPath(string? libraryPath)
    {
        var path = string.IsNullOrWhiteSpace(libraryPath) ? DefaultLibraryPath() : Path.GetFullPath(libraryPath);
        if (!File.Exists(path))
            throw new OrtLibraryException($"The ONNX Runtime native library was not found at '{path}'. It is copied there by the build " +
                "from wwwroot-assets (npm package onnxruntime-node); run `dotnet build`, or set Inference:NativeLibraryPath.");
        return path;
    }

    /// <summary>Loads the library by full path and reads its API table.</summary>
    public static OrtApi Load(string path)
    {
        IntPtr library;
        try
        {
            library = NativeLibrary.Load(path);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new OrtLibraryException($"The ONNX Runtime native library at '{path}' could not be loaded: {e.Message}", e);
        }
        if (!NativeLibrary.TryGetExport(library, "OrtGetApiBase", out var getApiBase))
            throw new OrtLibraryException($"'{path}' does not export OrtGetApiBase: it is not an ONNX Runtime library.");

        // OrtApiBase: { const OrtApi* (*GetApi)(uint32_t version); const char* (*GetVersionString)(void); }
        var apiBase = (void**)((delegate* unmanaged<IntPtr>)getApiBase)();
        var getApi = (delegate* unmanaged<uint, void**>)apiBase[0];
        var getVersionString = (delegate* unmanaged<byte*>)apiBase[1];
        var versionString = Marshal.PtrToStringUTF8((IntPtr)getVersionString()) ?? "";

        // ORT's API version equals its minor version (1.30 → 30). Asking for a version the library lacks
        // makes it print to stderr, so ask for exactly the one it has (capped at the newest checked here).
        var parts = versionString.Split('.');
        if (parts.Length < 2 || !uint.TryParse(parts[1], out var minor) || minor < MinApiVersion)
            throw new OrtLibraryException($"ONNX Runtime {versionString} at '{path}' is too old: API version {MinApiVersion} or later is needed.");
        var version = Math.Min(minor, MaxApiVersion);
        var table = getApi(version);
        if (table == null)
            throw new OrtLibraryException($"ONNX Runtime {versionString} at '{path}' does not provide API version {version}.");
        return new OrtApi(path, library, table, version, versionString);
    }
}

/// <summary>OrtCUDAProviderOptions (C API, used by SessionOptionsAppendExecutionProvider_CUDA), with the C++ constructor's defaults.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CudaProviderOptions
{
    public int DeviceId;
    public int CudnnConvAlgoSearch;        // OrtCudnnConvAlgoSearchExhaustive
    public nuint GpuMemLimit;
    public int ArenaExtendStrategy;
    public int DoCopyInDefaultStream;
    public int HasUserComputeStream;
    public IntPtr UserComputeStream;
    public IntPtr DefaultMemoryArenaCfg;
    public int TunableOpEnable;
    public int TunableOpTuningEnable;
    public int TunableOpMaxTuningDurationMs;

    public static CudaProviderOptions Default(int deviceId) => new()
    {
        DeviceId = deviceId,
        GpuMemLimit = nuint.MaxValue,
        DoCopyInDefaultStream = 1,
    };
}
