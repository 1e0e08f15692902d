using ClinicianPortal.Shared.Inference;

namespace ClinicianPortal.Tests.Inference;

public sealed class OrtConcurrencyTests(OrtFixture ort) : IClassFixture<OrtFixture>
{
    [Fact]
    public async Task Many_parallel_runs_on_one_session_each_get_their_own_correct_answer()
    {
        var random = new Random();
        using var session = ort.Runtime.LoadModel(OrtSessionTests.ScoringModel(32, 10, 3, random, out var w, out var b));
        var inputs = Enumerable.Range(0, 64).Select(_ => Reference.RandomFloats(random, 32)).ToArray();
        var expected = inputs.Select(x => Reference.Softmax(Reference.MatMul(x, w, 1, 32, 10).Select((v, i) => v + b[i]).ToArray(), 1, 10)).ToArray();

        var errors = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            float worst = 0;
            for (int round = 0; round < 200; round++)
            {
                int i = (worker * 31 + round * 7) % inputs.Length;
                var scores = session.Run([new NamedTensor("findings", DenseTensor.FromFloats(inputs[i], 1, 32))], ["scores"])[0].Value.AsFloats();
                worst = Math.Max(worst, Reference.MaxAbsError(expected[i], scores));
            }
            return worst;
        })));

        Assert.All(errors, e => Assert.True(e < 1e-5f, $"max abs error {e}"));
    }

    [Fact]
    public async Task Disposing_a_session_while_runs_are_in_flight_lets_them_finish_then_refuses_new_ones()
    {
        var session = ort.Runtime.LoadModel(OrtSessionTests.ScoringModel(256, 64, 3, new Random(7), out _, out _));
        var input = new NamedTensor("findings", DenseTensor.FromFloats(new float[16 * 256], 16, 256));
        int completed = 0;
        var fiftyDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Each runner runs until the session refuses it; any other failure (or a crash) fails the test.
        // Dedicated threads, not the pool: a busy test run must not starve the runners or this method.
        var runners = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
        {
            while (true)
            {
                try
                {
                    Assert.Equal(16 * 64, session.Run([input], ["scores"])[0].Value.Length);
                    if (Interlocked.Increment(ref completed) == 50) fiftyDone.TrySetResult();
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        await fiftyDone.Task.WaitAsync(TimeSpan.FromSeconds(60));
        session.Dispose();

        // Runs already in flight finish; every run started after Dispose is refused, so the runners stop
        // promptly even though they keep the handle referenced between them.
        await Task.WhenAll(runners).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(completed >= 50);
    }
}
