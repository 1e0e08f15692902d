using ClinicianPortal.Shared.Inference;
using ClinicianPortal.Shared.Inference.Onnx;

namespace ClinicianPortal.Tests.Inference;

/// <summary>
/// Every operator the writer offers: a model built in C#, run by the real ONNX Runtime on fresh random
/// inputs, matches a C# reference within 1e-5 (float32).
/// </summary>
public sealed class GraphBuilderTests(OrtFixture ort) : IClassFixture<OrtFixture>
{
    private const float Tolerance = 1e-5f;
    private readonly Random _random = new();

    private float[] Run(GraphBuilder graph, params NamedTensor[] inputs)
    {
        using var session = ort.Runtime.LoadModel(graph.ToBytes());
        return session.Run(inputs)[0].Value.AsFloats();
    }

    [Fact]
    public void MatMul_matches_reference()
    {
        const int m = 3, k = 17, n = 5;
        var w = Reference.RandomFloats(_random, k * n);
        var g = new GraphBuilder("matmul");
        var x = g.Input("x", TensorElementType.Float, -1, k);
        g.Output(g.MatMul(x, g.Initializer("w", w, k, n), "y"), TensorElementType.Float, -1, n);
        var input = Reference.RandomFloats(_random, m * k);

        var actual = Run(g, new NamedTensor("x", DenseTensor.FromFloats(input, m, k)));

        Assert.True(Reference.MaxAbsError(Reference.MatMul(input, w, m, k, n), actual) < Tolerance);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Gemm_matches_reference(bool transA, bool transB)
    {
        const int m = 4, k = 6, n = 3;
        const float alpha = 0.5f, beta = 2f;
        var b = Reference.RandomFloats(_random, k * n);
        var c = Reference.RandomFloats(_random, n);
        var g = new GraphBuilder("gemm");
        var a = g.Input("a", TensorElementType.Float, transA ? new long[] { k, m } : [m, k]);
        var y = g.Gemm(a, g.Initializer("b", b, transB ? new long[] { n, k } : [k, n]), g.Initializer("c", c, n), alpha, beta, transA, transB, "y");
        g.Output(y, TensorElementType.Float, m, n);
        var input = Reference.RandomFloats(_random, m * k);

        var actual = Run(g, new NamedTensor("a", DenseTensor.FromFloats(input, transA ? new long[] { k, m } : [m, k])));

        var product = Reference.MatMul(input, b, m, k, n, transA, transB);
        var expected = product.Select((v, i) => alpha * v + beta * c[i % n]).ToArray();
        Assert.True(Reference.MaxAbsError(expected, actual) < Tolerance);
    }

    [Fact]
    public void Add_and_Mul_broadcast_like_the_reference()
    {
        const int rows = 5, cols = 7;
        var bias = Reference.RandomFloats(_random, cols);
        var g = new GraphBuilder("add_mul");
        var x = g.Input("x", TensorElementType.Float, -1, cols);
        var z = g.Input("z", TensorElementType.Float, -1, cols);
        g.Output(g.Mul(g.Add(x, g.Initializer("bias", bias, cols)), z, "y"), TensorElementType.Float, -1, cols);
        var xs = Reference.RandomFloats(_random, rows * cols);
        var zs = Reference.RandomFloats(_random, rows * cols);

        var actual = Run(g, new NamedTensor("x", DenseTensor.FromFloats(xs, rows, cols)), new NamedTensor("z", DenseTensor.FromFloats(zs, rows, cols)));

        var expected = xs.Select((v, i) => (v + bias[i % cols]) * zs[i]).ToArray();
        Assert.True(Reference.MaxAbsError(expected, actual) < Tolerance);
    }

    [Fact]
    public void Relu_zeroes_negatives_only()
    {
        var g = new GraphBuilder("relu");
        var x = g.Input("x", TensorElementType.Float, 64);
        g.Output(g.Relu(x, "y"), TensorElementType.Float, 64);
        var xs = Reference.RandomFloats(_random, 64);

        var actual = Run(g, new NamedTensor("x", DenseTensor.FromFloats(xs, 64)));

        Assert.True(Reference.MaxAbsError(xs.Select(v => Math.Max(v, 0f)).ToArray(), actual) < Tolerance);
    }

    [Fact]
    public void Softmax_matches_reference_per_row()
    {
        const int rows = 3, cols = 11;
        var g = new GraphBuilder("softmax");
        var x = g.Input("x", TensorElementType.Float, -1, cols);
        g.Output(g.Softmax(x, -1, "y"), TensorElementType.Float, -1, cols);
        var xs = Reference.RandomFloats(_random, rows * cols, scale: 5);

        var actual = Run(g, new NamedTensor("x", DenseTensor.FromFloats(xs, rows, cols)));

        Assert.True(Reference.MaxAbsError(Reference.Softmax(xs, rows, cols), actual) < Tolerance);
    }

    [Fact]
    public void TopK_returns_the_largest_values_and_their_indices_in_order()
    {
        const int rows = 4, cols = 50, k = 5;
        var g = new GraphBuilder("topk");
        var x = g.Input("x", TensorElementType.Float, -1, cols);
        var (values, indices) = g.TopK(x, k, -1, "values", "indices");
        g.Output(values, TensorElementType.Float, -1, k).Output(indices, TensorElementType.Int64, -1, k);
        var xs = Reference.RandomFloats(_random, rows * cols);
        using var session = ort.Runtime.LoadModel(g.ToBytes());

        var outputs = session.Run([new NamedTensor("x", DenseTensor.FromFloats(xs, rows, cols))]);

        var actualValues = outputs[0].Value.AsFloats();
        var actualIndices = outputs[1].Value.AsInt64s();
        for (int r = 0; r < rows; r++)
        {
            var expected = Enumerable.Range(0, cols).OrderByDescending(c => xs[r * cols + c]).Take(k).ToArray();
            for (int i = 0; i < k; i++)
            {
                Assert.Equal(expected[i], actualIndices[r * k + i]);
                Assert.True(Math.Abs(xs[r * cols + expected[i]] - actualValues[r * k + i]) < Tolerance);
            }
        }
    }

    [Fact]
    public void Gather_picks_rows_by_index()
    {
        const int rows = 10, cols = 4;
        var table = Reference.RandomFloats(_random, rows * cols);
        var g = new GraphBuilder("gather");
        var idx = g.Input("idx", TensorElementType.Int64, -1);
        g.Output(g.Gather(g.Initializer("table", table, rows, cols), idx, 0, "y"), TensorElementType.Float, -1, cols);
        var picks = Enumerable.Range(0, 6).Select(_ => (long)_random.Next(rows)).ToArray();

        var actual = Run(g, new NamedTensor("idx", DenseTensor.FromInt64s(picks, picks.Length)));

        var expected = picks.SelectMany(p => table.Skip((int)p * cols).Take(cols)).ToArray();
        Assert.True(Reference.MaxAbsError(expected, actual) < Tolerance);
    }

    [Fact]
    public void ReduceSum_sums_over_the_given_axis()
    {
        const int rows = 6, cols = 9;
        var g = new GraphBuilder("reducesum");
        var x = g.Input("x", TensorElementType.Float, rows, cols);
        g.Output(g.ReduceSum(x, [1], keepDims: false, "y"), TensorElementType.Float, rows);
        var xs = Reference.RandomFloats(_random, rows * cols);

        var actual = Run(g, new NamedTensor("x", DenseTensor.FromFloats(xs, rows, cols)));

        var expected = Enumerable.Range(0, rows).Select(r => (float)xs.Skip(r * cols).Take(cols).Sum(v => (double)v)).ToArray();
        Assert.True(Reference.MaxAbsError(expected, actual) < Tolerance);
    }

    [Fact]
    public void Concat_joins_along_the_given_axis()
    {
        const int rows = 3;
        var g = new GraphBuilder("concat");
        var a = g.Input("a", TensorElementType.Float, rows, 2);
        var b = g.Input("b", TensorElementType.Float, rows, 3);
        g.Output(g.Concat(1, [a, b], "y"), TensorElementType.Float, rows, 5);
        var xa = Reference.RandomFloats(_random, rows * 2);
        var xb = Reference.RandomFloats(_random, rows * 3);

        var actual = Run(g, new NamedTensor("a", DenseTensor.FromFloats(xa, rows, 2)), new NamedTensor("b", DenseTensor.FromFloats(xb, rows, 3)));

        var expected = Enumerable.Range(0, rows).SelectMany(r => xa.Skip(r * 2).Take(2).Concat(xb.Skip(r * 3).Take(3))).ToArray();
        Assert.True(Reference.MaxAbsError(expected, actual) < Tolerance);
    }

    [Fact]
    public void Builder_refuses_unknown_values_and_duplicate_names()
    {
        var g = new GraphBuilder("bad");
        var x = g.Input("x", TensorElementType.Float, 1);

        Assert.Throws<ArgumentException>(() => g.Relu(new GraphValue("nowhere")));
        Assert.Throws<ArgumentException>(() => g.Input("x", TensorElementType.Float, 1));
        Assert.Throws<ArgumentException>(() => g.Initializer("w", new float[3], 2, 2));
        Assert.Throws<InvalidOperationException>(() => g.ToBytes());
        Assert.NotNull(g.Relu(x));
    }
}
