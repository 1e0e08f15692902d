using ClinicianPortal.Shared.Inference;
using ClinicianPortal.Shared.Inference.Onnx;
using ClinicianPortal.Shared.Inference.OnnxRuntime;

namespace ClinicianPortal.Tests.Inference;

public sealed class OrtSessionTests(OrtFixture ort) : IClassFixture<OrtFixture>
{
    /// <summary>scores = softmax(x · W + b); top = TopK(scores, 3): the differential model's shape, small.</summary>
    internal static byte[] ScoringModel(int inputs, int classes, int k, Random random, out float[] weights, out float[] bias)
    {
        weights = Reference.RandomFloats(random, inputs * classes);
        bias = Reference.RandomFloats(random, classes);
        var g = new GraphBuilder("scoring");
        var x = g.Input("findings", TensorElementType.Float, -1, inputs);
        var logits = g.Add(g.MatMul(x, g.Initializer("W", weights, inputs, classes)), g.Initializer("b", bias, classes));
        var scores = g.Softmax(logits, -1, "scores");
        var (top, topIndices) = g.TopK(scores, k, -1, "top_scores", "top_classes");
        g.Output(scores, TensorElementType.Float, -1, classes)
            .Output(top, TensorElementType.Float, -1, k)
            .Output(topIndices, TensorElementType.Int64, -1, k);
        return g.ToBytes();
    }

    [Fact]
    public void Session_reports_names_element_types_and_shapes()
    {
        using var session = ort.Runtime.LoadModel(ScoringModel(8, 4, 3, new Random(1), out _, out _));

        var input = Assert.Single(session.Inputs);
        Assert.Equal("findings", input.Name);
        Assert.Equal(TensorElementType.Float, input.ElementType);
        Assert.Equal([-1L, 8], input.Shape);
        Assert.Equal(["scores", "top_scores", "top_classes"], session.Outputs.Select(o => o.Name));
        Assert.Equal([TensorElementType.Float, TensorElementType.Float, TensorElementType.Int64], session.Outputs.Select(o => o.ElementType));
        Assert.Equal([-1L, 3], session.Outputs[2].Shape);
    }

    [Fact]
    public void Run_computes_the_model_and_returns_requested_outputs_in_order()
    {
        var random = new Random();
        using var session = ort.Runtime.LoadModel(ScoringModel(8, 4, 3, random, out var w, out var b));
        var x = Reference.RandomFloats(random, 2 * 8);

        var outputs = session.Run([new NamedTensor("findings", DenseTensor.FromFloats(x, 2, 8))], ["top_classes", "scores"]);

        Assert.Equal(["top_classes", "scores"], outputs.Select(o => o.Name));
        var logits = Reference.MatMul(x, w, 2, 8, 4).Select((v, i) => v + b[i % 4]).ToArray();
        var expected = Reference.Softmax(logits, 2, 4);
        Assert.Equal([2L, 4], outputs[1].Value.Shape);
        Assert.True(Reference.MaxAbsError(expected, outputs[1].Value.AsFloats()) < 1e-5f);
        var best = Enumerable.Range(0, 4).MaxBy(c => expected[c]);
        Assert.Equal(best, outputs[0].Value.AsInt64s()[0]);
    }

    [Fact]
    public void Run_takes_and_returns_int64_and_bool_tensors()
    {
        var g = new GraphBuilder("flags");
        var flags = g.Input("flags", TensorElementType.Bool, 5);
        var idx = g.Input("idx", TensorElementType.Int64, 3);
        g.Output(g.Gather(flags, idx, 0, "picked"), TensorElementType.Bool, 3);
        using var session = ort.Runtime.LoadModel(g.ToBytes());

        var result = session.Run([
            new NamedTensor("flags", DenseTensor.FromBools([true, false, false, true, false], 5)),
            new NamedTensor("idx", DenseTensor.FromInt64s([3, 1, 0], 3)),
        ]);

        Assert.Equal([true, false, true], result[0].Value.AsBools());
    }

    [Fact]
    public void Tensor_values_round_trip_through_onnx_runtime()
    {
        using var floats = ort.Runtime.CreateTensorValue(DenseTensor.FromFloats([1.5f, -2f, 3f, 0f, 5f, 6f], 2, 3));
        using var flags = ort.Runtime.CreateTensorValue(DenseTensor.FromBools([true, false], 2));

        var back = floats.ToTensor();
        Assert.Equal([2L, 3], back.Shape);
        Assert.Equal([1.5f, -2f, 3f, 0f, 5f, 6f], back.AsFloats());
        Assert.Equal([true, false], flags.ToTensor().AsBools());
    }

    [Fact]
    public void Model_file_loads_from_a_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ort-test-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, ScoringModel(8, 4, 3, new Random(2), out _, out _));
        try
        {
            using var session = ort.Runtime.LoadModel(path);
            Assert.Equal("findings", session.Inputs[0].Name);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Bad_model_bytes_raise_onnx_runtime_code_and_message()
    {
        var e = Assert.Throws<OrtException>(() => ort.Runtime.LoadModel("this is not an onnx model"u8));

        Assert.Equal(OrtErrorCode.InvalidProtobuf, e.Code);
        Assert.Contains("protobuf", e.OrtMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Missing_model_file_raises_no_such_file()
    {
        var e = Assert.Throws<OrtException>(() => ort.Runtime.LoadModel("/nonexistent/model.onnx"));

        Assert.Equal(OrtErrorCode.NoSuchFile, e.Code);
    }

    [Fact]
    public void Wrong_input_name_raises_invalid_argument_naming_it()
    {
        using var session = ort.Runtime.LoadModel(ScoringModel(8, 4, 3, new Random(3), out _, out _));

        var e = Assert.Throws<OrtException>(() => session.Run([new NamedTensor("symptoms", DenseTensor.FromFloats(new float[8], 1, 8))]));

        Assert.Equal(OrtErrorCode.InvalidArgument, e.Code);
        Assert.Contains("symptoms", e.OrtMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_input_shape_raises_invalid_argument()
    {
        using var session = ort.Runtime.LoadModel(ScoringModel(8, 4, 3, new Random(4), out _, out _));

        var e = Assert.Throws<OrtException>(() => session.Run([new NamedTensor("findings", DenseTensor.FromFloats(new float[7], 1, 7))]));

        Assert.Equal(OrtErrorCode.InvalidArgument, e.Code);
        Assert.Contains("dimensions", e.OrtMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Missing_native_library_is_a_clear_error()
    {
        var options = new InferenceOptions { NativeLibraryPath = "/nonexistent/libonnxruntime.so.1" };

        var e = Assert.Throws<OrtLibraryException>(() => new OrtRuntime(options));

        Assert.Contains("/nonexistent/libonnxruntime.so.1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disposed_session_refuses_to_run()
    {
        var session = ort.Runtime.LoadModel(ScoringModel(8, 4, 3, new Random(5), out _, out _));
        session.Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.Run([new NamedTensor("findings", DenseTensor.FromFloats(new float[8], 1, 8))]));
    }
}
