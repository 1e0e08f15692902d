using ClinicianPortal.Shared.Inference;
using ClinicianPortal.Shared.Inference.Models;

namespace ClinicianPortal.Tests.Inference;

public sealed class ModelRegistryTests(OrtFixture ort) : IClassFixture<OrtFixture>
{
    private static readonly NamedTensor[] Input = [new("x", DenseTensor.FromFloats([1f, 2f, 3f], 1, 3))];

    private static byte[] FlipOneByte(byte[] model)
    {
        var copy = (byte[])model.Clone();
        copy[copy.Length / 2] ^= 0x40;
        return copy;
    }

    [Fact]
    public void Valid_model_loads_and_every_result_names_model_version_and_hash()
    {
        using var folder = new ModelFolder();
        var manifest = folder.Add("scaler", "1.0.0", scale: 2f);
        using var registry = new ModelRegistry(ort.Runtime, folder.Path);

        var result = registry.Run("scaler", Input);

        Assert.Equal(("scaler", "1.0.0", manifest.Sha256), (result.ModelId, result.Version, result.Sha256));
        Assert.Equal([2f, 4f, 6f], result.Output("y").AsFloats());
        var status = Assert.Single(registry.Models);
        Assert.Equal(ModelState.Available, status.State);
        Assert.Equal(manifest.Sha256, status.Sha256);
    }

    [Fact]
    public void Corrupted_model_is_refused_and_unavailable_while_the_others_load()
    {
        using var folder = new ModelFolder();
        folder.Add("good", "1.0.0", scale: 3f);
        folder.Add("broken", "1.0.0", scale: 5f, corrupt: FlipOneByte);
        using var registry = new ModelRegistry(ort.Runtime, folder.Path);

        Assert.Equal([9f], registry.Run("good", Input).Output("y").AsFloats()[2..]);
        var broken = registry.Status("broken");
        Assert.NotNull(broken);
        Assert.Equal(ModelState.Unavailable, broken.State);
        Assert.Contains("does not match its manifest", broken.Error, StringComparison.Ordinal);
        var e = Assert.Throws<ModelUnavailableException>(() => registry.Run("broken", Input));
        Assert.Contains("does not match its manifest", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_model_file_is_refused_with_a_clear_error()
    {
        using var folder = new ModelFolder();
        folder.Add("gone", "1.0.0", scale: 1f);
        File.Delete(Path.Combine(folder.Path, "gone-1.0.0.onnx"));
        using var registry = new ModelRegistry(ort.Runtime, folder.Path);

        Assert.Equal(ModelState.Unavailable, registry.Status("gone")!.State);
        Assert.Contains("missing", registry.Status("gone")!.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_that_misdescribes_the_model_is_refused()
    {
        using var folder = new ModelFolder();
        folder.Add("liar", "1.0.0", scale: 1f, edit: m => m with { Inputs = [new ManifestTensor("x", TensorElementType.Float, [-1, 4])] });
        using var registry = new ModelRegistry(ort.Runtime, folder.Path);

        Assert.Equal(ModelState.Unavailable, registry.Status("liar")!.State);
        Assert.Contains("declares input x", registry.Status("liar")!.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_manifest_is_refused_and_named()
    {
        using var folder = new ModelFolder();
        File.WriteAllText(Path.Combine(folder.Path, "half-written.json"), "{ \"id\": \"x\"");
        folder.Add("fine", "1.0.0", scale: 1f);
        using var registry = new ModelRegistry(ort.Runtime, folder.Path);

        Assert.Equal(ModelState.Available, registry.Status("fine")!.State);
        var refused = Assert.Single(registry.Models, m => m.State == ModelState.Refused);
        Assert.Contains("half-written.json", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_version_dropped_into_the_folder_is_served_without_restart()
    {
        using var folder = new ModelFolder();
        folder.Add("scaler", "1.0.0", scale: 2f);
        using var registry = new ModelRegistry(ort.Runtime, folder.Path);
        Assert.Equal("1.0.0", registry.Run("scaler", Input).Version);

        var v2 = folder.Add("scaler", "1.1.0", scale: 10f);

        var result = await Eventually(() => registry.Run("scaler", Input), r => r.Version == "1.1.0");
        Assert.Equal(v2.Sha256, result.Sha256);
        Assert.Equal([10f, 20f, 30f], result.Output("y").AsFloats());
    }

    [Fact]
    public async Task Corrupted_new_version_is_refused_and_the_verified_one_keeps_serving()
    {
        using var folder = new ModelFolder();
        folder.Add("scaler", "1.0.0", scale: 2f);
        using var registry = new ModelRegistry(ort.Runtime, folder.Path);

        folder.Add("scaler", "2.0.0", scale: 7f, corrupt: FlipOneByte);

        var refused = await Eventually(() => registry.Models.FirstOrDefault(m => m.State == ModelState.Refused), m => m is not null);
        Assert.Equal("2.0.0", refused!.Version);
        var result = registry.Run("scaler", Input);
        Assert.Equal("1.0.0", result.Version);
        Assert.Equal([2f, 4f, 6f], result.Output("y").AsFloats());
    }

    [Fact]
    public void Without_an_engine_every_model_is_unavailable_with_the_reason()
    {
        using var folder = new ModelFolder();
        folder.Add("scaler", "1.0.0", scale: 2f);
        using var registry = new ModelRegistry(null, folder.Path, runtimeUnavailable: "library missing");

        Assert.Equal(ModelState.Unavailable, registry.Status("scaler")!.State);
        Assert.Contains("library missing", registry.Status("scaler")!.Error, StringComparison.Ordinal);
        Assert.Throws<ModelUnavailableException>(() => registry.Run("scaler", Input));
    }

    [Fact]
    public void Unknown_model_id_is_a_clear_error()
    {
        using var folder = new ModelFolder();
        using var registry = new ModelRegistry(ort.Runtime, folder.Path);

        var e = Assert.Throws<ModelUnavailableException>(() => registry.Run("differential", Input));
        Assert.Contains("No model 'differential'", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Polls until the folder watcher has done its work (debounced), failing after 15 s.</summary>
    private static async Task<T> Eventually<T>(Func<T> probe, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var value = probe();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail($"condition not reached in 15 s; last value: {value}");
            await Task.Delay(100);
        }
    }
}
