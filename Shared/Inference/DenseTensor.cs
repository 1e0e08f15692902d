namespace ClinicianPortal.Shared.Inference;

/// <summary>Element types the project uses; the numbers are ONNX's (TensorProto.DataType = ONNXTensorElementDataType).</summary>
public enum TensorElementType
{
    Float = 1,
    Int64 = 7,
    Bool = 9,
}

/// <summary>
/// A dense, row-major tensor held in managed memory: what callers hand to a session and get back.
/// The data array is float[], long[] or bool[] according to <see cref="ElementType"/>.
/// </summary>
public sealed class DenseTensor
{
    private DenseTensor(TensorElementType elementType, Array data, long[] shape)
    {
        long count = ElementCount(shape);
        if (count != data.Length)
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] holds {count} elements but {data.Length} were given.", nameof(shape));
        ElementType = elementType;
        Data = data;
        ShapeArray = shape;
    }

    public TensorElementType ElementType { get; }
    public IReadOnlyList<long> Shape => ShapeArray;
    internal long[] ShapeArray { get; }
    public Array Data { get; }
    public int Length => Data.Length;

    public static DenseTensor FromFloats(float[] data, params long[] shape) => new(TensorElementType.Float, data, (long[])shape.Clone());
    public static DenseTensor FromInt64s(long[] data, params long[] shape) => new(TensorElementType.Int64, data, (long[])shape.Clone());
    public static DenseTensor FromBools(bool[] data, params long[] shape) => new(TensorElementType.Bool, data, (long[])shape.Clone());

    public float[] AsFloats() => Data as float[] ?? throw WrongType(TensorElementType.Float);
    public long[] AsInt64s() => Data as long[] ?? throw WrongType(TensorElementType.Int64);
    public bool[] AsBools() => Data as bool[] ?? throw WrongType(TensorElementType.Bool);

    public static long ElementCount(IReadOnlyList<long> shape)
    {
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException("A tensor's shape cannot have negative dimensions.", nameof(shape));
            count = checked(count * d);
        }
        return count;
    }

    public static int ElementSize(TensorElementType type) => type switch
    {
        TensorElementType.Float => sizeof(float),
        TensorElementType.Int64 => sizeof(long),
        TensorElementType.Bool => sizeof(bool),
        _ => throw new NotSupportedException($"Element type {type} is not supported."),
    };

    public override string ToString() => $"{ElementType}[{string.Join(", ", Shape)}]";

    private InvalidOperationException WrongType(TensorElementType wanted) =>
        new($"The tensor holds {ElementType} elements, not {wanted}.");
}

/// <summary>A tensor bound to a model input or output name.</summary>
public sealed record NamedTensor(string Name, DenseTensor Value);

/// <summary>What a model declares for one input or output; -1 marks a dimension left free (e.g. batch).</summary>
public sealed record TensorInfo(string Name, TensorElementType ElementType, IReadOnlyList<long> Shape)
{
    public override string ToString() => $"{Name}: {ElementType}[{string.Join(", ", Shape)}]";
}
