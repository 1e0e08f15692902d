namespace ClinicianPortal.Shared.Inference.OnnxRuntime;

/// <summary>OrtErrorCode from onnxruntime_c_api.h.</summary>
public enum OrtErrorCode
{
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    EpFail = 11,
    ModelLoadCanceled = 12,
    ModelRequiresCompilation = 13,
    NotFound = 14,
}

/// <summary>A failed ONNX Runtime call, with ONNX Runtime's own error code and message.</summary>
public sealed class OrtException : Exception
{
    public OrtException(OrtErrorCode code, string ortMessage)
        : base($"ONNX Runtime error {code}: {ortMessage}")
    {
        Code = code;
        OrtMessage = ortMessage;
    }

    public OrtException() : this(OrtErrorCode.Fail, "") { }
    public OrtException(string message) : this(OrtErrorCode.Fail, message) { }
    public OrtException(string message, Exception inner) : base(message, inner) => OrtMessage = message;

    public OrtErrorCode Code { get; } = OrtErrorCode.Fail;

    /// <summary>The message exactly as ONNX Runtime gave it.</summary>
    public string OrtMessage { get; } = "";
}

/// <summary>The native library is missing, unloadable or too old; inference is unavailable.</summary>
public sealed class OrtLibraryException : Exception
{
    public OrtLibraryException() { }
    public OrtLibraryException(string message) : base(message) { }
    public OrtLibraryException(string message, Exception inner) : base(message, inner) { }
}
