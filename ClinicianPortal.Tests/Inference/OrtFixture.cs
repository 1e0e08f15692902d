using ClinicianPortal.Shared.Inference;
using ClinicianPortal.Shared.Inference.OnnxRuntime;

namespace ClinicianPortal.Tests.Inference;

/// <summary>One real ONNX Runtime (the native library copied beside the tests) on the CPU provider, shared by a test class.</summary>
public sealed class OrtFixture : IDisposable
{
    public OrtFixture()
    {
        var options = new InferenceOptions { IntraOpThreads = 1 };
        options.ExecutionProviders.Add(ExecutionProvider.Cpu);
        Runtime = new OrtRuntime(options);
    }

    public OrtRuntime Runtime { get; }

    public void Dispose() => Runtime.Dispose();
}

/// <summary>Random data and C# reference arithmetic (in double) to check ONNX Runtime's answers against.</summary>
public static class Reference
{
    public static float[] RandomFloats(Random random, int count, float scale = 1f)
    {
        var data = new float[count];
        for (int i = 0; i < count; i++) data[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        return data;
    }

    /// <summary>a [m×k] · b [k×n].</summary>
    public static float[] MatMul(float[] a, float[] b, int m, int k, int n, bool transA = false, bool transB = false)
    {
        var c = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                    sum += (double)(transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
                c[i * n + j] = (float)sum;
            }
        return c;
    }

    public static float[] Softmax(float[] x, int rows, int cols)
    {
        var y = new float[x.Length];
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int c = 0; c < cols; c++) max = Math.Max(max, x[r * cols + c]);
            for (int c = 0; c < cols; c++) sum += Math.Exp(x[r * cols + c] - max);
            for (int c = 0; c < cols; c++) y[r * cols + c] = (float)(Math.Exp(x[r * cols + c] - max) / sum);
        }
        return y;
    }

    public static float MaxAbsError(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        float max = 0;
        for (int i = 0; i < expected.Length; i++) max = Math.Max(max, Math.Abs(expected[i] - actual[i]));
        return max;
    }
}
