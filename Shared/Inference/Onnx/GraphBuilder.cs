using System.Runtime.InteropServices;
using ClinicianPortal.Shared.Inference.Onnx.Proto;
using Google.Protobuf;

namespace ClinicianPortal.Shared.Inference.Onnx;

/// <summary>A value flowing through a graph under construction (a graph input, an initializer or a node output).</summary>
public sealed record GraphValue(string Name);

/// <summary>
/// Writes ONNX models from C#: declare inputs and constant weights, chain operators, mark outputs,
/// then <see cref="ToBytes"/> or <see cref="Save"/>. Models use IR version 8 and the default-domain
/// opset 17, which every ONNX Runtime since 1.13 runs. A dimension of -1 is written as a named free
/// dimension (e.g. the batch size).
/// </summary>
public sealed class GraphBuilder
{
    public const long IrVersion = 8;
    public const long Opset = 17;

    private readonly GraphProto _graph;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _metadata = new(StringComparer.Ordinal);
    private int _counter;

    public GraphBuilder(string graphName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        _graph = new GraphProto { Name = graphName };
    }

    /// <summary>Text stored in the model's metadata_props (e.g. the manifest id and version).</summary>
    public GraphBuilder Metadata(string key, string value)
    {
        _metadata[key] = value;
        return this;
    }

    public GraphValue Input(string name, TensorElementType type, params long[] shape)
    {
        _graph.Input.Add(ValueInfo(Claim(name), type, shape));
        return new GraphValue(name);
    }

    public GraphBuilder Output(GraphValue value, TensorElementType type, params long[] shape)
    {
        _graph.Output.Add(ValueInfo(value.Name, type, shape));
        return this;
    }

    public GraphValue Initializer(string name, float[] data, params long[] shape) =>
        AddInitializer(name, TensorElementType.Float, MemoryMarshal.AsBytes(data.AsSpan()), data.Length, shape);

    public GraphValue Initializer(string name, long[] data, params long[] shape) =>
        AddInitializer(name, TensorElementType.Int64, MemoryMarshal.AsBytes(data.AsSpan()), data.Length, shape);

    public GraphValue MatMul(GraphValue a, GraphValue b, string? output = null) => Node("MatMul", [a, b], output);

    /// <summary>Y = alpha · A' · B' + beta · C, with A' and B' optionally transposed (2-D only).</summary>
    public GraphValue Gemm(GraphValue a, GraphValue b, GraphValue? c = null, float alpha = 1f, float beta = 1f,
        bool transA = false, bool transB = false, string? output = null) =>
        Node("Gemm", c is null ? [a, b] : [a, b, c], output,
            FloatAttribute("alpha", alpha), FloatAttribute("beta", beta),
            IntAttribute("transA", transA ? 1 : 0), IntAttribute("transB", transB ? 1 : 0));

    public GraphValue Add(GraphValue a, GraphValue b, string? output = null) => Node("Add", [a, b], output);
    public GraphValue Mul(GraphValue a, GraphValue b, string? output = null) => Node("Mul", [a, b], output);
    public GraphValue Relu(GraphValue x, string? output = null) => Node("Relu", [x], output);

    public GraphValue Softmax(GraphValue x, long axis = -1, string? output = null) =>
        Node("Softmax", [x], output, IntAttribute("axis", axis));

    /// <summary>The k largest values along an axis, sorted descending, and their int64 indices.</summary>
    public (GraphValue Values, GraphValue Indices) TopK(GraphValue x, long k, long axis = -1, string? values = null, string? indices = null)
    {
        var kValue = Initializer(Fresh("k"), [k], 1);
        var outputs = NodeWithOutputs("TopK", [x, kValue], [values ?? Fresh("TopK_values"), indices ?? Fresh("TopK_indices")],
            IntAttribute("axis", axis), IntAttribute("largest", 1), IntAttribute("sorted", 1));
        return (outputs[0], outputs[1]);
    }

    /// <summary>Picks entries of <paramref name="data"/> along an axis by int64 indices.</summary>
    public GraphValue Gather(GraphValue data, GraphValue indices, long axis = 0, string? output = null) =>
        Node("Gather", [data, indices], output, IntAttribute("axis", axis));

    /// <summary>Sums over the given axes (opset 13+: axes are an input tensor).</summary>
    public GraphValue ReduceSum(GraphValue x, long[] axes, bool keepDims = true, string? output = null)
    {
        var axesValue = Initializer(Fresh("axes"), axes, axes.Length);
        return Node("ReduceSum", [x, axesValue], output, IntAttribute("keepdims", keepDims ? 1 : 0));
    }

    public GraphValue Concat(long axis, IReadOnlyList<GraphValue> inputs, string? output = null) =>
        Node("Concat", inputs, output, IntAttribute("axis", axis));

    public ModelProto ToModel(string producerName = "ClinicianPortal", long modelVersion = 1)
    {
        if (_graph.Output.Count == 0) throw new InvalidOperationException("A model needs at least one output.");
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = producerName,
            ModelVersion = modelVersion,
            Graph = _graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in _metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    public byte[] ToBytes() => ToModel().ToByteArray();

    public void Save(string path) => File.WriteAllBytes(path, ToBytes());

    private GraphValue AddInitializer(string name, TensorElementType type, ReadOnlySpan<byte> raw, int length, long[] shape)
    {
        if (DenseTensor.ElementCount(shape) != length)
            throw new ArgumentException($"Initializer '{name}': shape [{string.Join(", ", shape)}] does not hold {length} elements.", nameof(shape));
        var tensor = new TensorProto { Name = Claim(name), DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.Add(shape);
        _graph.Initializer.Add(tensor);
        return new GraphValue(name);
    }

    private GraphValue Node(string op, IReadOnlyList<GraphValue> inputs, string? output, params AttributeProto[] attributes) =>
        NodeWithOutputs(op, inputs, [output ?? Fresh(op)], attributes)[0];

    private GraphValue[] NodeWithOutputs(string op, IReadOnlyList<GraphValue> inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Fresh(op + "_node") };
        foreach (var input in inputs)
        {
            if (!_names.Contains(input.Name)) throw new ArgumentException($"{op}: value '{input.Name}' is not defined in this graph.", nameof(inputs));
            node.Input.Add(input.Name);
        }
        foreach (var output in outputs) node.Output.Add(Claim(output));
        node.Attribute.Add(attributes);
        _graph.Node.Add(node);
        return [.. outputs.Select(o => new GraphValue(o))];
    }

    private string Claim(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_names.Add(name)) throw new ArgumentException($"The name '{name}' is already used in this graph.", nameof(name));
        return name;
    }

    private string Fresh(string prefix)
    {
        string name;
        do name = $"{prefix}_{_counter++}"; while (_names.Contains(name));
        return name;
    }

    private static ValueInfoProto ValueInfo(string name, TensorElementType type, long[] shape)
    {
        var tensorShape = new TensorShapeProto();
        for (int i = 0; i < shape.Length; i++)
        {
            tensorShape.Dim.Add(shape[i] >= 0
                ? new TensorShapeProto.Types.Dimension { DimValue = shape[i] }
                : new TensorShapeProto.Types.Dimension { DimParam = i == 0 ? "batch" : $"{name}_dim{i}" });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = tensorShape } },
        };
    }

    private static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto FloatAttribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };
}
