using System.Runtime.InteropServices;

namespace ClinicianPortal.Shared.Inference.OnnxRuntime;

/// <summary>An ONNX Runtime object released by its own Release function exactly once, even if callers forget.</summary>
internal sealed unsafe class OrtHandle : SafeHandle
{
    private readonly delegate* unmanaged<IntPtr, void> _release;

    public OrtHandle(IntPtr handle, delegate* unmanaged<IntPtr, void> release) : base(IntPtr.Zero, ownsHandle: true)
    {
        _release = release;
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        _release(handle);
        return true;
    }
}

/// <summary>An OrtValue over native memory it owns: the value is released first, then its buffer.</summary>
internal sealed unsafe class OrtValueHandle : SafeHandle
{
    private readonly delegate* unmanaged<IntPtr, void> _release;
    private readonly void* _memory;

    public OrtValueHandle(IntPtr value, void* memory, delegate* unmanaged<IntPtr, void> release) : base(IntPtr.Zero, ownsHandle: true)
    {
        _release = release;
        _memory = memory;
        SetHandle(value);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        _release(handle);
        NativeMemory.Free(_memory);
        return true;
    }
}
