using System.Runtime.InteropServices;
using System.Text;

namespace ClinicianPortal.Shared.Inference.OnnxRuntime;

/// <summary>
/// One ONNX Runtime session. <see cref="Run"/> may be called from many threads at once (ONNX Runtime's
/// Run is thread-safe); each call holds a reference on the session handle, so disposing the session
/// while runs are in flight releases it only after the last one returns. Runs that start after
/// <see cref="Dispose"/> are refused at once: a SafeHandle alone would keep accepting new references as long
/// as some run still holds one, so busy callers could keep a disposed session alive indefinitely.
/// </summary>
public sealed unsafe class OrtSession : IInferenceSession
{
    private readonly OrtEnvironment _env;
    private readonly OrtHandle _session;
    private readonly string[] _outputNames;
    private volatile bool _disposed;

    internal OrtSession(OrtEnvironment env, OrtHandle session)
    {
        _env = env;
        _session = session;
        Inputs = Describe(input: true);
        Outputs = Describe(input: false);
        _outputNames = [.. Outputs.Select(o => o.Name)];
    }

    public IReadOnlyList<TensorInfo> Inputs { get; }
    public IReadOnlyList<TensorInfo> Outputs { get; }

    public IReadOnlyList<NamedTensor> Run(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<string>? outputNames = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var api = _env.Api;
        IReadOnlyList<string> outputs = outputNames ?? _outputNames;
        int inputCount = inputs.Count, outputCount = outputs.Count;

        // All names, NUL-terminated UTF-8, in one buffer: inputs first, then outputs.
        var names = new string[inputCount + outputCount];
        for (int i = 0; i < inputCount; i++) names[i] = inputs[i].Name;
        for (int i = 0; i < outputCount; i++) names[inputCount + i] = outputs[i];
        var nameBytes = EncodeNames(names, out var nameOffsets);

        var inputValues = new IntPtr[inputCount];
        var outputValues = new IntPtr[outputCount];
        var namePointers = new IntPtr[names.Length];
        var pins = new GCHandle[inputCount];
        bool sessionReferenced = false;
        try
        {
            _session.DangerousAddRef(ref sessionReferenced);
            fixed (byte* nameBase = nameBytes)
            fixed (IntPtr* namePtrs = namePointers)
            fixed (IntPtr* inputPtrs = inputValues)
            fixed (IntPtr* outputPtrs = outputValues)
            {
                for (int i = 0; i < names.Length; i++) namePtrs[i] = (IntPtr)(nameBase + nameOffsets[i]);
                for (int i = 0; i < inputCount; i++)
                {
                    // The caller's array is pinned, not copied, for the length of the call.
                    var tensor = inputs[i].Value;
                    pins[i] = GCHandle.Alloc(tensor.Data, GCHandleType.Pinned);
                    var bytes = (nuint)tensor.Length * (nuint)DenseTensor.ElementSize(tensor.ElementType);
                    fixed (long* shape = tensor.ShapeArray)
                    {
                        api.Check(api.CreateTensorWithDataAsOrtValue(_env.CpuMemoryInfo, (void*)pins[i].AddrOfPinnedObject(), bytes,
                            shape, (nuint)tensor.ShapeArray.Length, (int)tensor.ElementType, &inputPtrs[i]));
                    }
                }
                api.Check(api.Run(_session.DangerousGetHandle(), IntPtr.Zero, namePtrs, inputPtrs, (nuint)inputCount,
                    namePtrs + inputCount, (nuint)outputCount, outputPtrs));
            }
            var result = new NamedTensor[outputCount];
            for (int i = 0; i < outputCount; i++) result[i] = new NamedTensor(outputs[i], ReadTensor(_env, outputValues[i]));
            return result;
        }
        finally
        {
            foreach (var value in outputValues) if (value != IntPtr.Zero) api.ReleaseValue(value);
            foreach (var value in inputValues) if (value != IntPtr.Zero) api.ReleaseValue(value);
            foreach (var pin in pins) if (pin.IsAllocated) pin.Free(); // after the values that point into them
            if (sessionReferenced) _session.DangerousRelease();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _session.Dispose();
    }

    /// <summary>Copies an OrtValue's tensor (float, int64 or bool) into managed memory.</summary>
    internal static DenseTensor ReadTensor(OrtEnvironment env, IntPtr value)
    {
        var api = env.Api;
        IntPtr info;
        api.Check(api.GetTensorTypeAndShape(value, &info));
        int type;
        long[] shape;
        try
        {
            api.Check(api.GetTensorElementType(info, &type));
            shape = ReadShape(api, info);
        }
        finally
        {
            api.ReleaseTensorTypeAndShapeInfo(info);
        }
        void* data;
        api.Check(api.GetTensorMutableData(value, &data));
        int count = checked((int)DenseTensor.ElementCount(shape));
        switch ((TensorElementType)type)
        {
            case TensorElementType.Float:
                var floats = new float[count];
                new ReadOnlySpan<float>(data, count).CopyTo(floats);
                return DenseTensor.FromFloats(floats, shape);
            case TensorElementType.Int64:
                var longs = new long[count];
                new ReadOnlySpan<long>(data, count).CopyTo(longs);
                return DenseTensor.FromInt64s(longs, shape);
            case TensorElementType.Bool:
                var bools = new bool[count];
                new ReadOnlySpan<byte>(data, count).CopyTo(MemoryMarshal.AsBytes(bools.AsSpan()));
                return DenseTensor.FromBools(bools, shape);
            default:
                throw new NotSupportedException($"Tensors of ONNX element type {type} are not supported (float, int64 and bool are).");
        }
    }

    private static long[] ReadShape(OrtApi api, IntPtr tensorInfo)
    {
        nuint rank;
        api.Check(api.GetDimensionsCount(tensorInfo, &rank));
        var shape = new long[(int)rank];
        fixed (long* dims = shape) api.Check(api.GetDimensions(tensorInfo, dims, rank));
        return shape;
    }

    private TensorInfo[] Describe(bool input)
    {
        var api = _env.Api;
        var session = _session.DangerousGetHandle();
        nuint count;
        api.Check(input ? api.SessionGetInputCount(session, &count) : api.SessionGetOutputCount(session, &count));
        var result = new TensorInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* namePtr;
            api.Check(input ? api.SessionGetInputName(session, i, _env.Allocator, &namePtr) : api.SessionGetOutputName(session, i, _env.Allocator, &namePtr));
            var name = Marshal.PtrToStringUTF8((IntPtr)namePtr) ?? "";
            api.Check(api.AllocatorFree(_env.Allocator, namePtr));

            IntPtr typeInfo;
            api.Check(input ? api.SessionGetInputTypeInfo(session, i, &typeInfo) : api.SessionGetOutputTypeInfo(session, i, &typeInfo));
            try
            {
                IntPtr tensorInfo; // owned by typeInfo
                api.Check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
                if (tensorInfo == IntPtr.Zero)
                    throw new NotSupportedException($"Model {(input ? "input" : "output")} '{name}' is not a tensor (sequences and maps are not supported).");
                int type;
                api.Check(api.GetTensorElementType(tensorInfo, &type));
                result[(int)i] = new TensorInfo(name, (TensorElementType)type, ReadShape(api, tensorInfo));
            }
            finally
            {
                api.ReleaseTypeInfo(typeInfo);
            }
        }
        return result;
    }

    private static byte[] EncodeNames(string[] names, out int[] offsets)
    {
        offsets = new int[names.Length];
        int total = 0;
        for (int i = 0; i < names.Length; i++)
        {
            offsets[i] = total;
            total += Encoding.UTF8.GetByteCount(names[i]) + 1;
        }
        var bytes = new byte[total]; // zero-filled: every name ends in NUL
        for (int i = 0; i < names.Length; i++) Encoding.UTF8.GetBytes(names[i], bytes.AsSpan(offsets[i]));
        return bytes;
    }
}

/// <summary>A tensor copied into native memory as an ONNX Runtime value; disposing releases both.</summary>
public sealed unsafe class OrtTensorValue : IDisposable
{
    private readonly OrtEnvironment _env;
    private readonly OrtValueHandle _handle;

    internal OrtTensorValue(OrtEnvironment env, DenseTensor tensor)
    {
        _env = env;
        var api = env.Api;
        var bytes = (nuint)tensor.Length * (nuint)DenseTensor.ElementSize(tensor.ElementType);
        var memory = NativeMemory.Alloc(Math.Max(bytes, 1));
        var pin = GCHandle.Alloc(tensor.Data, GCHandleType.Pinned);
        try
        {
            Buffer.MemoryCopy((void*)pin.AddrOfPinnedObject(), memory, bytes, bytes);
        }
        finally
        {
            pin.Free();
        }
        IntPtr value;
        try
        {
            fixed (long* shape = tensor.ShapeArray)
                api.Check(api.CreateTensorWithDataAsOrtValue(env.CpuMemoryInfo, memory, bytes, shape, (nuint)tensor.ShapeArray.Length,
                    (int)tensor.ElementType, &value));
        }
        catch
        {
            NativeMemory.Free(memory);
            throw;
        }
        _handle = new OrtValueHandle(value, memory, api.ReleaseValue);
    }

    /// <summary>Reads the value back through ONNX Runtime (element type, shape and data as ONNX Runtime sees them).</summary>
    public DenseTensor ToTensor()
    {
        bool referenced = false;
        try
        {
            _handle.DangerousAddRef(ref referenced);
            return OrtSession.ReadTensor(_env, _handle.DangerousGetHandle());
        }
        finally
        {
            if (referenced) _handle.DangerousRelease();
        }
    }

    public void Dispose() => _handle.Dispose();
}
