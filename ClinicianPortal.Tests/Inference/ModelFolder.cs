using System.Security.Cryptography;
using ClinicianPortal.Shared.Inference;
using ClinicianPortal.Shared.Inference.Models;
using ClinicianPortal.Shared.Inference.Onnx;

namespace ClinicianPortal.Tests.Inference;

/// <summary>A temporary models folder that tests fill with real .onnx files and manifests.</summary>
public sealed class ModelFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"models-{Guid.NewGuid():N}");

    public ModelFolder() => Directory.CreateDirectory(Path);

    /// <summary>A model y = x · scale (x: float[-1, 3]): its version is recognisable from its output.</summary>
    public static byte[] ScaleModel(float scale)
    {
        var g = new GraphBuilder("scale");
        var x = g.Input("x", TensorElementType.Float, -1, 3);
        g.Output(g.Mul(x, g.Initializer("s", [scale], 1), "y"), TensorElementType.Float, -1, 3);
        return g.ToBytes();
    }

    public static ModelManifest ManifestFor(string id, string version, string file, byte[] model) => new()
    {
        Id = id,
        Version = version,
        Task = "test-scaling",
        File = file,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(model)),
        Inputs = [new ManifestTensor("x", TensorElementType.Float, [-1, 3])],
        Outputs = [new ManifestTensor("y", TensorElementType.Float, [-1, 3])],
        Source = "ClinicianPortal.Tests GraphBuilder",
        IntendedUse = "tests only",
        OutOfScopeUses = ["any clinical use"],
        Limitations = ["multiplies by a constant"],
        Metrics = new Dictionary<string, double> { ["exact"] = 1 },
    };

    /// <summary>Writes the .onnx file, then its manifest (the order an operator should follow).</summary>
    public ModelManifest Add(string id, string version, float scale, Func<byte[], byte[]>? corrupt = null, Func<ModelManifest, ModelManifest>? edit = null)
    {
        var model = ScaleModel(scale);
        var file = $"{id}-{version}.onnx";
        var manifest = ManifestFor(id, version, file, model);
        if (edit is not null) manifest = edit(manifest);
        File.WriteAllBytes(System.IO.Path.Combine(Path, file), corrupt is null ? model : corrupt(model));
        File.WriteAllText(System.IO.Path.Combine(Path, $"{id}-{version}.json"), manifest.ToJson());
        return manifest;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
