using System.Diagnostics;
using ClinicianPortal.Shared.Inference;

namespace ClinicianPortal.Tests.Inference;

[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

/// <summary>Native handles are released: creating and disposing many sessions and tensors leaves process memory flat.</summary>
[Collection(nameof(MemoryMeasurement))]
public sealed class OrtMemoryTests(OrtFixture ort) : IClassFixture<OrtFixture>
{
    private const long Bound = 64L * 1024 * 1024; // generous: allocator and GC noise, not a leak

    [Fact]
    public void Thousand_sessions_and_hundred_thousand_tensors_leave_memory_flat()
    {
        var model = OrtSessionTests.ScoringModel(64, 16, 3, new Random(8), out _, out _);
        var input = DenseTensor.FromFloats(Reference.RandomFloats(new Random(9), 4 * 64), 4, 64);

        void Churn(int sessions, int tensors)
        {
            for (int i = 0; i < sessions; i++)
            {
                using var session = ort.Runtime.LoadModel(model);
                if (i % 10 == 0) Assert.Equal(4 * 16, session.Run([new NamedTensor("findings", input)])[0].Value.Length);
            }
            for (int i = 0; i < tensors; i++)
            {
                using var value = ort.Runtime.CreateTensorValue(input);
                if (i % 1000 == 0) Assert.Equal(input.AsFloats(), value.ToTensor().AsFloats());
            }
        }

        Churn(sessions: 100, tensors: 10_000); // warm-up: arenas, thread-local caches, JIT
        var (workingSetBefore, privateBefore) = Measure();

        Churn(sessions: 1_000, tensors: 100_000);
        var (workingSetAfter, privateAfter) = Measure();

        Assert.True(workingSetAfter - workingSetBefore < Bound, $"working set grew by {(workingSetAfter - workingSetBefore) >> 20} MB");
        Assert.True(privateAfter - privateBefore < Bound, $"private memory grew by {(privateAfter - privateBefore) >> 20} MB");
    }

    private static (long WorkingSet, long Private) Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (process.WorkingSet64, process.PrivateMemorySize64);
    }
}
